package dev.liffey.autoscaler.engine;

import java.time.Instant;

/** Who did what, why, when, and what it was before and after. */
public record AuditRecord(Instant at, String who, String what, String why, String before, String after) {}
