package dev.liffey.cli;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import java.util.Locale;

/**
 * Text that came from the control table or the audit log (a reason, who, an event's name), made
 * safe to print on a terminal: control characters are shown as escapes ({@code \e}, {@code \n},
 * {@code \x07}, {@code \u202e}), so a reason can neither recolour the screen, move the cursor,
 * forge a line of history nor reverse the text after it. Stateless and thread-safe.
 */
final class Printable {
  private Printable() {}

  /** {@code text} with every control character escaped; the rest as it was. */
  static String escape(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String escaped = escape(c);
      if (escaped != null && out == null) {
        out = new StringBuilder(text.length() + 8).append(text, 0, i);
      }
      if (out != null) {
        if (escaped != null) {
          out.append(escaped);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? text : out.toString();
  }

  /** The escape for {@code c}, or null when it prints as itself. */
  private static String escape(char c) {
    return switch (c) {
      case '\n' -> "\\n";
      case '\r' -> "\\r";
      case '\t' -> "\\t";
      case 0x1b -> "\\e";
      default ->
          c < 0x20 || c == 0x7f
              ? String.format(Locale.ROOT, "\\x%02x", (int) c)
              : isControl(c) ? String.format(Locale.ROOT, "\\u%04x", (int) c) : null;
    };
  }

  /**
   * C1 controls, and the invisible marks that reorder or break lines (bidi overrides, line
   * separators).
   */
  private static boolean isControl(char c) {
    return (c >= 0x80 && c <= 0x9f)
        || c == 0x200e
        || c == 0x200f
        || (c >= 0x2028 && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069);
  }

  /**
   * For JSON: Jackson escapes C0 controls itself; these also escape DEL, C1 controls and the bidi
   * and line-separator marks, as {@link #escape(String)} does for a table.
   */
  static final class JsonEscapes extends CharacterEscapes {
    private final int[] ascii = standardAsciiEscapesForJSON();

    JsonEscapes() {
      ascii[0x7f] = ESCAPE_CUSTOM;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return ch == 0x7f || (ch <= 0xffff && isControl((char) ch))
          ? new SerializedString(String.format(Locale.ROOT, "\\u%04x", ch))
          : null;
    }
  }
}
