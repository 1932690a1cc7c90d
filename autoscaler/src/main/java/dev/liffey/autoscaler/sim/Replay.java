package dev.liffey.autoscaler.sim;

import java.time.Duration;

/**
 * How a suite's generated traces are replayed: as drawn, or with another audience (the same shapes,
 * sizes and timings), to ask whether results rest on what the families never vary.
 *
 * @param sessions the mean session of every market a trace sets none for; null: {@link
 *     SimulatedCloud#DEFAULT_SESSION}
 * @param sessionCv how widely session lengths spread about their mean where a trace sets no spread
 *     ({@link SessionLength}; 1: exponential)
 * @param noiseScale what every market's drawn viewer noise is multiplied by ({@link
 *     ScenarioFamilies#generate}; 1: as drawn)
 */
public record Replay(Duration sessions, double sessionCv, double noiseScale) {
  /** The families' traces as they are drawn, with the simulator's default sessions. */
  public static final Replay AS_DRAWN = new Replay(null, SessionLength.MIN_CV, 1);

  /**
   * @throws IllegalArgumentException for a mean session not positive, a spread outside {@link
   *     SessionLength#requireCv}'s bounds, or a noise scale below 0
   */
  public Replay {
    if (sessions != null) {
      Trace.requireSession(sessions);
    }
    SessionLength.requireCv(sessionCv);
    ScenarioFamilies.requireNoiseScale(noiseScale);
  }

  /** With viewers who watch for {@code mean} on average. */
  public Replay withSessions(Duration mean) {
    return new Replay(mean, sessionCv, noiseScale);
  }

  /** With session lengths spread as widely as {@code cv} (their coefficient of variation). */
  public Replay withSessionCv(double cv) {
    return new Replay(sessions, cv, noiseScale);
  }

  /** With every market's viewer counts {@code scale} times as noisy as drawn. */
  public Replay withNoise(double scale) {
    return new Replay(sessions, sessionCv, scale);
  }

  /** {@code trace} with these sessions where it sets none of its own. */
  Trace applied(Trace trace) {
    Trace out = sessions == null ? trace : trace.withDefaultSession(sessions);
    return out.withSessionCv(sessionCv);
  }
}
