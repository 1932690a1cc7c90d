package dev.liffey.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code -o}: how a command prints what it read. */
enum Format {
  TABLE,
  JSON,
  YAML;

  /** {@code table}, {@code json} or {@code yaml}, in any case; anything else names the three. */
  static final class Converter implements ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      try {
        return valueOf(value.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(
            "expected one of table, json or yaml but was '" + value + "'");
      }
    }
  }
}
