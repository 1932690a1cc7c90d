package dev.liffey.autoscaler.engine.forecast;

import java.time.Duration;

/**
 * Demand over a horizon: the point forecast, the upper quantile planned on, and the words for why.
 *
 * @param level the latest observed value
 * @param expected the point forecast at the end of the horizon
 * @param upper the upper quantile of the demand over the whole horizon
 * @param basis how it was made ("trend", "spike +3.1%/s", "daily shape", "event Cup final")
 * @param surging the series is growing at a spike's rate now ({@link
 *     DemandForecaster#SPIKE_GROWTH_PER_SECOND}), whatever the forecast was made from
 */
public record Forecast(
    double level, double expected, double upper, Duration horizon, String basis, boolean surging) {}
