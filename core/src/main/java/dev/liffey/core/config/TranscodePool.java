package dev.liffey.core.config;

import java.util.Set;

/**
 * One GPU instance type of a region's transcode fleet: its own Auto Scaling group, because EC2 warm
 * pools cannot be combined with mixed-instance groups.
 *
 * @param sizing the group's type, bounds, warm pool, boot times and prices
 * @param gpu the accelerator, like {@code L4}
 * @param encodes the codecs its hardware encoder produces
 * @param streamsPerInstance live ingest streams (each a full ABR ladder) one instance transcodes
 */
public record TranscodePool(
    InstanceSizing sizing, String gpu, Set<VideoCodec> encodes, int streamsPerInstance) {}
