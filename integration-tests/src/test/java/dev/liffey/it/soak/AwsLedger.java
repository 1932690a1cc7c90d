package dev.liffey.it.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.liffey.it.emulator.FaultProxy;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every AWS request a replica made, as its proxy saw it, read back into what the invariants need:
 * the audit records written (their "after" and fencing token), the actuations made (Auto Scaling
 * desired capacity and warm pools, Route 53 weights) and the writes that carried a fencing token.
 * Thread-safe.
 */
final class AwsLedger {
  private static final Pattern SCOPE =
      Pattern.compile("Credential=[^/]+/[^/]+/([^/]+)/([^/]+)/aws4_request");
  private static final Pattern CHANGE =
      Pattern.compile(
          "<SetIdentifier>([^<]+)</SetIdentifier>.*?<Weight>(\\d+)</Weight>", Pattern.DOTALL);
  private static final Pattern WARM_POOL =
      Pattern.compile("(.+) \\(warm pool (\\d+), prepared (\\d+)\\)");
  private static final Pattern GROUP = Pattern.compile("Liffey-(.+)-Relay-RelaysGroupASG");
  private final ObjectMapper json = new ObjectMapper();
  private final List<Event> events = new ArrayList<>();

  enum Kind {
    AUDIT,
    ACTUATION,
    FENCED_WRITE
  }

  /**
   * One request of interest.
   *
   * @param what for an audit its "after"; for an actuation the change as the audit log words it
   *     ({@code relay eu-west-1=9}, {@code relay eu-west-1 (warm pool 4)}, {@code eu-west-2=55})
   */
  record Event(
      String replica,
      Kind kind,
      long startNanos,
      long endNanos,
      String what,
      long token,
      int status) {
    boolean succeeded() {
      return status / 100 == 2;
    }
  }

  /** The observer of one replica's proxy. */
  FaultProxy.Observer of(String replica) {
    return exchange -> {
      try {
        parse(replica, exchange).forEach(this::add);
      } catch (Exception e) {
        throw new IllegalStateException(
            "cannot read request " + exchange.uri() + ": " + e.getMessage(), e);
      }
    };
  }

  private synchronized void add(Event e) {
    events.add(e);
  }

  synchronized List<Event> events() {
    return List.copyOf(events);
  }

  private List<Event> parse(String replica, FaultProxy.Exchange x) throws Exception {
    Matcher scope = SCOPE.matcher(x.authorization());
    if (!scope.find()) {
      return List.of();
    }
    String service = scope.group(2);
    List<Event> out = new ArrayList<>();
    switch (service) {
      case "autoscaling" -> {
        Map<String, String> form = form(x.requestBody());
        Matcher g = GROUP.matcher(form.getOrDefault("AutoScalingGroupName", ""));
        String fleet = g.matches() ? "relay " + g.group(1) : form.get("AutoScalingGroupName");
        if ("SetDesiredCapacity".equals(form.get("Action"))) {
          out.add(event(replica, Kind.ACTUATION, x, fleet + "=" + form.get("DesiredCapacity"), 0));
        } else if ("PutWarmPool".equals(form.get("Action"))) {
          out.add(
              event(
                  replica,
                  Kind.ACTUATION,
                  x,
                  fleet
                      + " (warm pool "
                      + form.get("MinSize")
                      + ", prepared "
                      + form.get("MaxGroupPreparedCapacity")
                      + ")",
                  0));
        }
      }
      case "route53" -> {
        if ("POST".equals(x.method()) && x.uri().contains("/rrset")) {
          Matcher m = CHANGE.matcher(x.requestBody());
          while (m.find()) {
            out.add(event(replica, Kind.ACTUATION, x, m.group(1) + "=" + m.group(2), 0));
          }
        }
      }
      case "dynamodb" -> {
        if (x.target() != null
            && (x.target().endsWith(".TransactWriteItems") || x.target().endsWith(".PutItem"))) {
          JsonNode body = json.readTree(x.requestBody());
          List<JsonNode> items = new ArrayList<>();
          if (body.has("Item")) {
            items.add(body.get("Item"));
          }
          body.path("TransactItems")
              .forEach(
                  t -> {
                    if (t.path("Put").has("Item")) {
                      items.add(t.path("Put").path("Item"));
                    }
                  });
          for (JsonNode item : items) {
            long token =
                item.has("fencingToken") ? item.path("fencingToken").path("N").asLong() : 0;
            if (item.path("pk").path("S").asText().startsWith("audit#")) {
              out.add(event(replica, Kind.AUDIT, x, item.path("after").path("S").asText(), token));
            } else if (token > 0) {
              out.add(
                  event(replica, Kind.FENCED_WRITE, x, item.path("sk").path("S").asText(), token));
            }
          }
        }
      }
      default -> {}
    }
    return out;
  }

  private static Event event(
      String replica, Kind kind, FaultProxy.Exchange x, String what, long token) {
    return new Event(replica, kind, x.startNanos(), x.endNanos(), what, token, x.status());
  }

  private static Map<String, String> form(String body) {
    Map<String, String> out = new HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  /**
   * Actuations that succeeded with no successful audit record of the same replica covering them
   * before.
   */
  List<Event> unaudited() {
    List<Event> all = events();
    List<Event> out = new ArrayList<>();
    for (Event a : all) {
      if (a.kind() != Kind.ACTUATION || !a.succeeded()) {
        continue;
      }
      boolean covered =
          all.stream()
              .anyMatch(
                  r ->
                      r.kind() == Kind.AUDIT
                          && r.succeeded()
                          && r.replica().equals(a.replica())
                          && r.endNanos() <= a.startNanos()
                          && covers(r.what(), a.what()));
      if (!covered) {
        out.add(a);
      }
    }
    return out;
  }

  /**
   * Whether an audit record's "after" names the change an actuation made. A warm-pool write carries
   * the pool and the prepared capacity, desired + pool: it is covered by the audited change of that
   * fleet to that desired count, whether the pool moved with it ({@code relay eu-west-1=8 (warm
   * pool 10)}) or only the desired count did ({@code relay eu-west-1=8}), as a scale-in rewrites
   * the prepared capacity.
   */
  static boolean covers(String after, String change) {
    Matcher pool = WARM_POOL.matcher(change);
    if (pool.matches()) {
      String fleet = pool.group(1);
      int size = Integer.parseInt(pool.group(2));
      int desired = Integer.parseInt(pool.group(3)) - size;
      // That desired count, and no other pool than this write's after it; or this write's pool
      // for the fleet, whatever count it came to (a relay scale-in keeps relays it cannot see).
      return Pattern.compile(Pattern.quote(fleet) + "=\\d+ \\(warm pool " + size + "\\)")
              .matcher(after)
              .find()
          || Pattern.compile(
                  Pattern.quote(fleet + "=" + desired)
                      + "(?![0-9])(?! \\(warm pool (?!"
                      + size
                      + "\\)))")
              .matcher(after)
              .find();
    }
    if (change.startsWith("relay ")) {
      return Pattern.compile(Pattern.quote(change) + "(?![0-9])").matcher(after).find();
    }
    // A weight: inside "weights {eu-west-1=200, eu-west-2=55}".
    int brace = after.indexOf("weights {");
    return brace >= 0
        && Pattern.compile("[{ ]" + Pattern.quote(change) + "[,}]")
            .matcher(after.substring(brace))
            .find();
  }

  /**
   * Successful token-carrying writes that began after a write with a newer token had been answered:
   * a fencing token going backwards.
   */
  List<Event> tokensBackwards() {
    List<Event> written = events().stream().filter(e -> e.succeeded() && e.token() > 0).toList();
    List<Event> out = new ArrayList<>();
    for (Event late : written) {
      Optional<Event> newer =
          written.stream()
              .filter(e -> e.token() > late.token() && e.endNanos() < late.startNanos())
              .findFirst();
      newer.ifPresent(n -> out.add(late));
    }
    return out;
  }

  /** Token-carrying writes the table refused (a deposed leader, fenced out). */
  long refusedFencedWrites() {
    return events().stream()
        .filter(e -> e.token() > 0 && e.status() == 400)
        .map(Event::startNanos)
        .distinct()
        .count();
  }
}
