package dev.liffey.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.liffey.autoscaler.TestConfigs;
import java.io.StringReader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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
    Trace trace =
        parse(
            "t,kind,key,value\n0,viewers,IE,100\n0,streams,eu-west-1,4\n30,viewers,IE,250\n"
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
  void botRowsAreKeyedByMarket_andAFloodEndsAtItsZeroRow() throws Exception {
    Trace trace = parse("t,kind,key,value\n0,viewers,IE,5000\n60,bots,IE,150000\n600,bots,IE,0\n");

    assertThat(trace.valueAt(TraceKind.BOTS, "IE", 59)).isZero();
    assertThat(trace.valueAt(TraceKind.BOTS, "IE", 300)).isEqualTo(150_000);
    assertThat(trace.valueAt(TraceKind.BOTS, "IE", 600)).isZero();
    assertThat(trace.keys(TraceKind.BOTS)).containsExactly("IE");
    assertThat(rejected("t,kind,key,value\n0,bots,eu-west-1,10\n0,bots,GB,-1\n").problems())
        .containsExactly(
            "t.csv:2: unknown market 'eu-west-1': the config has DE, GB, IE",
            "t.csv:3: negative bots value -1");
  }

  @Test
  void withoutBots_isTheSameTraceWithNoBotRows_againstWhichTheCapacityBoughtForThemIsCounted()
      throws Exception {
    Trace trace =
        parse(
            "t,kind,key,value\n0,viewers,IE,5000\n60,bots,IE,150000\n90,latency,eu-west-1,200\n"
                + "600,bots,IE,0\n900,viewers,IE,7000\n");
    Trace without = trace.withoutBots();

    assertThat(trace.hasBots()).isTrue();
    assertThat(without.hasBots()).isFalse();
    assertThat(without.keys(TraceKind.BOTS)).isEmpty();
    assertThat(without.valueAt(TraceKind.BOTS, "IE", 300)).isZero();
    assertThat(without.valueAt(TraceKind.VIEWERS, "IE", 900)).isEqualTo(7_000);
    assertThat(without.valueAt(TraceKind.LATENCY, "eu-west-1", 300)).isEqualTo(200);
    assertThat(without.length()).isEqualTo(trace.length());
    // A flood's rows at 0 are no bots.
    assertThat(parse("t,kind,key,value\n0,viewers,IE,5000\n60,bots,IE,0\n").hasBots()).isFalse();
  }

  @Test
  void publishingRowsAreASharePerRegion_andAbsentIsEveryRelay() throws Exception {
    Trace trace =
        parse(
            "t,kind,key,value\n0,viewers,IE,5000\n60,publishing,eu-west-1,0.4\n"
                + "600,publishing,eu-west-1,1\n");

    assertThat(trace.setAt(TraceKind.PUBLISHING, "eu-west-1", 59)).isEmpty();
    assertThat(trace.setAt(TraceKind.PUBLISHING, "eu-west-1", 300)).hasValue(0.4);
    assertThat(trace.setAt(TraceKind.PUBLISHING, "eu-west-1", 600)).hasValue(1.0);
    assertThat(
            rejected("t,kind,key,value\n0,publishing,IE,0.5\n0,publishing,eu-west-2,2\n")
                .problems())
        .containsExactly(
            "t.csv:2: unknown region 'IE': the config has eu-central-1, eu-west-1, eu-west-2",
            "t.csv:3: publishing value 2 is a share of the region's relays: 0 to 1 (1: every relay"
                + " publishes)");
  }

  @Test
  void sessionCvRowsSpreadAMarketsSessions_andZeroIsTheDefault() throws Exception {
    Trace trace =
        parse(
            "t,kind,key,value\n0,viewers,IE,5000\n0,session,IE,600\n60,session_cv,IE,2.5\n"
                + "600,session_cv,IE,0\n");

    assertThat(trace.session("IE", 30)).isEqualTo(new SessionLength(600, 1));
    assertThat(trace.session("IE", 300)).isEqualTo(new SessionLength(600, 2.5));
    assertThat(trace.withSessionCv(3).session("IE", 600)).isEqualTo(new SessionLength(600, 3));
    assertThat(
            rejected("t,kind,key,value\n0,session_cv,eu-west-1,2\n0,session_cv,GB,0.7\n")
                .problems())
        .containsExactly(
            "t.csv:2: unknown market 'eu-west-1': the config has DE, GB, IE",
            "t.csv:3: session_cv value 0.7 is how widely session lengths spread (their coefficient"
                + " of variation): 1 (exponential) to 10, or 0 for the default");
  }

  @Test
  void everyBadRowIsRejectedWithItsLineNumber() {
    var e =
        rejected(
            "t,kind,key,value\n0,viewers,IE,100\n# a comment\n5,viewers,FR,10\n6,streams,eu-north-9,3\n"
                + "7,viewers,GB,-4\n3,viewers,IE,120\n8,audience,IE,1\n9,viewers,IE\nten,viewers,IE,5\n");

    assertThat(e.problems())
        .containsExactly(
            "t.csv:4: unknown market 'FR': the config has DE, GB, IE",
            "t.csv:5: unknown region 'eu-north-9': the config has eu-central-1, eu-west-1, eu-west-2",
            "t.csv:6: negative viewers value -4",
            "t.csv:7: time goes backwards: 3 after 7 (rows must be in time order)",
            "t.csv:8: unknown kind 'audience': use viewers, streams, latency, session, session_cv,"
                + " shortage, bots or publishing",
            "t.csv:9: expected 4 cells (t,kind,key,value), got 3",
            "t.csv:10: t 'ten' is not a number");
  }

  @Test
  void aMissingHeaderIsRejected() {
    assertThat(rejected("0,viewers,IE,100\n").problems())
        .containsExactly(
            "t.csv:1: missing header: the first line must be 't,kind,key,value', got '0,viewers,IE,100'");
    assertThat(rejected("").problems().get(0)).contains("(the file is empty)");
  }

  @Test
  void rowsBeyondTheHorizonAreRejectedWithTheirLines_insteadOfReplayingForEver() {
    var e =
        rejected(
            "t,kind,key,value\n0,viewers,IE,100\n1e9,viewers,IE,200\n1e300,viewers,IE,300\n"
                + "1209600,viewers,IE,0\n");

    assertThat(e.problems())
        .containsExactly(
            "t.csv:3: t 1e9 is beyond the 14-day horizon (1,209,600 s): fix the time, or split the trace",
            "t.csv:4: t 1e300 is beyond the 14-day horizon (1,209,600 s): fix the time, or split the trace");
  }

  @Test
  void aTraceOfMoreThanAMillionRowsIsRejectedAtTheFirstRowTooMany() {
    StringBuilder csv = new StringBuilder("t,kind,key,value\n");
    for (int i = 0; i <= TraceParser.MAX_ROWS; i++) {
      csv.append(i / 1000).append(",viewers,IE,1\n");
    }

    assertThat(rejected(csv.toString()).problems())
        .containsExactly("t.csv:1000002: more than 1,000,000 rows: split the trace");
  }

  @Test
  @Timeout(5)
  void aDeviceIsRefusedAtOnce_neverRead() {
    var e =
        catchThrowableOfType(InvalidTraceException.class, () -> parser.parse(Path.of("/dev/zero")));

    assertThat(e.problems())
        .containsExactly("/dev/zero: not a regular file (a device, named pipe or socket)");
  }

  @Test
  void aFileOverTheSizeLimitIsRefused(@TempDir Path dir) throws Exception {
    Path big = dir.resolve("big.csv");
    try (var out =
        java.nio.channels.FileChannel.open(
            big,
            java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE)) {
      out.write(
          java.nio.ByteBuffer.wrap(new byte[] {'\n'}),
          TraceParser.MAX_FILE_BYTES); // sparse: no 64 MiB written
    }

    var e = catchThrowableOfType(InvalidTraceException.class, () -> parser.parse(big));

    assertThat(e.problems())
        .containsExactly(big + ": the file is 64.0 MiB, more than the 64 MiB allowed");
  }
}
