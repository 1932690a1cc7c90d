package dev.liffey.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.liffey.autoscaler.TestConfigs;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class TraceParserTest {
  private final TraceParser parser = new TraceParser(TestConfigs.repository());

  private Trace parse(String csv) throws Exception {
    return parser.parse("t.csv", new StringReader(csv));
  }

  private InvalidTraceException rejected(String csv) {
    return catchThrowableOfType(InvalidTraceException.class, () -> parse(csv));
  }

  @Test
  void aValueHoldsUntilTheNextRowOfTheSameKindAndKey() throws Exception {
    Trace trace = parse("t,kind,key,value\n0,viewers,IE,100\n0,streams,eu-west-1,4\n30,viewers,IE,250\n"
        + "40,latency,eu-west-1,180\n90,latency,eu-west-1,0\n");

    assertThat(trace.valueAt(TraceKind.VIEWERS, "IE", 29.9)).isEqualTo(100);
    assertThat(trace.valueAt(TraceKind.VIEWERS, "IE", 30)).isEqualTo(250);
    assertThat(trace.valueAt(TraceKind.VIEWERS, "IE", 1000)).isEqualTo(250);
    assertThat(trace.valueAt(TraceKind.VIEWERS, "GB", 10)).isZero();
    assertThat(trace.valueAt(TraceKind.LATENCY, "eu-west-1", 60)).isEqualTo(180);
    assertThat(trace.valueAt(TraceKind.LATENCY, "eu-west-1", 90)).isZero();
    assertThat(trace.length().toSeconds()).isEqualTo(90);
  }

  @Test
  void everyBadRowIsRejectedWithItsLineNumber() {
    var e = rejected("t,kind,key,value\n0,viewers,IE,100\n# a comment\n5,viewers,FR,10\n6,streams,eu-north-9,3\n"
        + "7,viewers,GB,-4\n3,viewers,IE,120\n8,audience,IE,1\n9,viewers,IE\nten,viewers,IE,5\n");

    assertThat(e.problems()).containsExactly(
        "t.csv:4: unknown market 'FR': the config has DE, GB, IE",
        "t.csv:5: unknown region 'eu-north-9': the config has eu-central-1, eu-west-1, eu-west-2",
        "t.csv:6: negative viewers value -4",
        "t.csv:7: time goes backwards: 3 after 7 (rows must be in time order)",
        "t.csv:8: unknown kind 'audience': use viewers, streams or latency",
        "t.csv:9: expected 4 cells (t,kind,key,value), got 3",
        "t.csv:10: t 'ten' is not a number");
  }

  @Test
  void aMissingHeaderIsRejected() {
    assertThat(rejected("0,viewers,IE,100\n").problems())
        .containsExactly("t.csv:1: missing header: the first line must be 't,kind,key,value', got '0,viewers,IE,100'");
    assertThat(rejected("").problems().get(0)).contains("(the file is empty)");
  }
}
