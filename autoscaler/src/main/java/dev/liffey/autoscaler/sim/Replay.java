package dev.liffey.autoscaler.sim;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How traces are replayed: as drawn, or with another audience (the same shapes, sizes and timings),
 * to ask whether results rest on what a trace leaves to the simulator. A trace's own session rows
 * hold; the noise scale applies where the suite draws its traces.
 *
 * @param sessions the mean session of every market a trace sets none for; null: {@link
 *     SimulatedCloud#DEFAULT_SESSION}
 * @param sessionCv how widely session lengths spread about their mean where a trace sets no spread
 *     ({@link SessionLength}; 1: exponential)
 * @param noiseScale what every market's drawn viewer noise is multiplied by ({@link
 *     ScenarioFamilies#generate}; 1: as drawn)
 * @param reconnectingPlayers the share of viewers whose players follow a relay's reconnect event,
 *     in every region ({@link dev.liffey.core.config.RelayFleet#reconnectingPlayers}); null: as the
 *     configuration says
 */
public record Replay(
    Duration sessions, double sessionCv, double noiseScale, Double reconnectingPlayers) {
  /** The families' traces as they are drawn, with the simulator's default sessions. */
  public static final Replay AS_DRAWN = new Replay(null, SessionLength.MIN_CV, 1, null);

  /**
   * @throws IllegalArgumentException for a mean session not positive, a spread outside {@link
   *     SessionLength#requireCv}'s bounds, a noise scale below 0, or a share of players outside 0
   *     to 1
   */
  public Replay {
    if (sessions != null) {
      Trace.requireSession(sessions);
    }
    SessionLength.requireCv(sessionCv);
    ScenarioFamilies.requireNoiseScale(noiseScale);
    if (reconnectingPlayers != null
        && !dev.liffey.core.config.RelayFleet.takesReconnecting(reconnectingPlayers)) {
      throw new IllegalArgumentException(
          "the share of players that follow a reconnect event is 0 to 1, got "
              + reconnectingPlayers);
    }
  }

  /** {@code config} with these players, where they are given. */
  public dev.liffey.core.config.EdgeConfig configured(dev.liffey.core.config.EdgeConfig config) {
    return reconnectingPlayers == null
        ? config
        : config.withReconnectingPlayers(reconnectingPlayers);
  }

  /**
   * How the traces were replayed where not as drawn, in words: "; " before each difference, else
   * empty ({@code "; viewers watching 3 min on average, not 15 min"}).
   */
  public String words() {
    StringBuilder out = new StringBuilder();
    if (sessions != null) {
      out.append(
          String.format(
              Locale.ROOT,
              "; viewers watching %s on average, not %s",
              sessionWords(sessions),
              sessionWords(SimulatedCloud.DEFAULT_SESSION)));
    }
    if (sessionCv != SessionLength.MIN_CV) {
      out.append("; sessions' standard deviation ")
          .append(plain(sessionCv, "0.##"))
          .append(" times their mean, not 1 (exponential)");
    }
    if (noiseScale != 1) {
      out.append("; viewer counts ")
          .append(plain(noiseScale, "0.##"))
          .append(" times as noisy as drawn");
    }
    if (reconnectingPlayers != null) {
      out.append("; ")
          .append(plain(reconnectingPlayers * 100, "0.#"))
          .append("% of players following a relay's reconnect event");
    }
    return out.toString();
  }

  /**
   * The replay for machines: {@link #sessionsJson}, {@code noiseScale}, and {@code
   * reconnectingPlayers} where given.
   */
  public Map<String, Object> json() {
    Map<String, Object> out = sessionsJson();
    out.put("noiseScale", noiseScale);
    if (reconnectingPlayers != null) {
      out.put("reconnectingPlayers", reconnectingPlayers);
    }
    return out;
  }

  /** The sessions replayed, for machines: {@code sessionSeconds} and {@code sessionCv}. */
  public Map<String, Object> sessionsJson() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(
        "sessionSeconds",
        (sessions == null ? SimulatedCloud.DEFAULT_SESSION : sessions).toMillis() / 1000.0);
    out.put("sessionCv", sessionCv);
    return out;
  }

  /** A mean session in words: seconds under two minutes, minutes from there. */
  private static String sessionWords(Duration d) {
    double seconds = d.toMillis() / 1000.0;
    return seconds < 120
        ? String.format(Locale.ROOT, "%.0f s", seconds)
        : plain(seconds / 60, "0.#") + " min";
  }

  /** {@code value} with no more decimals than {@code pattern} allows, and none it does not need. */
  private static String plain(double value, String pattern) {
    return new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(Locale.ROOT)).format(value);
  }

  /** {@code trace} with these sessions where it sets none of its own. */
  public Trace applied(Trace trace) {
    Trace out = sessions == null ? trace : trace.withDefaultSession(sessions);
    return out.withSessionCv(sessionCv);
  }
}
