package dev.liffey.cdk.global;

import dev.liffey.cdk.LiffeyStackProps;
import dev.liffey.core.config.Control;

/** The control table: its name and replica region. */
public record ControlTableStackProps(LiffeyStackProps stack, Control control) {}
