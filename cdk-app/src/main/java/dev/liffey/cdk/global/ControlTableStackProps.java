package dev.liffey.cdk.global;

import dev.liffey.cdk.LiffeyStackProps;
import dev.liffey.cdk.iam.OnCallRole;
import dev.liffey.core.config.Control;

/**
 * The control table (its name and replica region), and what on-call's role, made beside it, may
 * reach.
 */
public record ControlTableStackProps(
    LiffeyStackProps stack, Control control, OnCallRole.Reach onCall) {}
