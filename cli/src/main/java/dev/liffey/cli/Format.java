package dev.liffey.cli;

/** {@code -o}: how a command prints what it read. */
enum Format {
  TABLE,
  JSON,
  YAML
}
