package dev.liffey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrintableTest {
  private static final String HOSTILE =
      "red \u001b[31mALERT\u001b[0m\n2026-12-01T20:00:00Z  unfreeze  forged\r\u0007"
          + " \u202eevil\u0085\u009b\u007f";

  @Test
  void aReasonCannotRecolourTheTerminal_forgeALine_orReverseTheText() {
    assertThat(Printable.escape(HOSTILE))
        .isEqualTo(
            "red \\e[31mALERT\\e[0m\\n2026-12-01T20:00:00Z  unfreeze  forged"
                + "\\r\\x07 \\u202eevil\\u0085\\u009b\\x7f");
  }

  @Test
  void ordinaryTextIsPrintedAsItIs_accentsArrowsAndEmojiIncluded() {
    String text =
        "Cup final: Éire v England → eu-west-2 ≥ 50 🏉 (by arn:aws:sts::123:assumed-role/OnCall/aoife)";

    assertThat(Printable.escape(text)).isSameAs(text);
  }

  @Test
  void jsonEscapesEveryControlCharacterToo_deleteC1AndBidiIncluded() throws Exception {
    StringWriter out = new StringWriter();

    OnCall.printDocument(new PrintWriter(out), Map.of("why", HOSTILE), Format.JSON);

    assertThat(out.toString())
        .isEqualTo(
            "{\n  \"why\" : \"red \\u001B[31mALERT\\u001B[0m\\n2026-12-01T20:00:00Z"
                + "  unfreeze  forged\\r\\u0007 \\u202eevil\\u0085\\u009b\\u007f\"\n}\n");
  }

  @Test
  void yamlEscapesControlCharactersItself() throws Exception {
    StringWriter out = new StringWriter();

    OnCall.printDocument(
        new PrintWriter(out), Map.of("why", "red \u001b[31m\n\u0085\u007f"), Format.YAML);

    assertThat(out.toString()).isEqualTo("why: \"red \\e[31m\\n\\N\\x7f\"\n");
  }
}
