package dev.liffey.core.config;

import java.util.List;

/**
 * A configuration that passed every check, and the warnings it raised (ended events, say), which
 * never stop it from being used.
 */
public record LoadedConfig(EdgeConfig config, List<ConfigProblem> warnings) {}
