package dev.liffey.autoscaler.aws;

import dev.liffey.autoscaler.engine.Clock;
import dev.liffey.autoscaler.engine.FleetActuator;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetKind;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.autoscaler.engine.PartialRead;
import dev.liffey.core.config.EdgeConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.Activity;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.DescribeAutoScalingGroupsRequest;
import software.amazon.awssdk.services.autoscaling.model.Filter;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.autoscaling.model.TagDescription;
import software.amazon.awssdk.services.autoscaling.model.WarmPoolState;

/**
 * EC2 Auto Scaling groups, found by their tags ({@code liffey:managed=true}, {@code liffey:region},
 * {@code liffey:fleet}, and {@code liffey:instance-type} on GPU groups), never by name. Reads
 * in-service, pending and warm counts with one {@code DescribeAutoScalingGroups} per region (and
 * page); sets desired capacity and warm pool only when they change (the pool's prepared capacity
 * follows desired, so a change of either rewrites it). A GPU group missing instances it asked for
 * is checked for {@code InsufficientInstanceCapacity} and reported short, so the next type takes
 * the demand. A region whose groups cannot be read is left out of {@link #fleets()} (so nothing in
 * it is scaled in on data that could not be read). Thread-safe.
 */
public final class AutoScalingFleetActuator implements FleetActuator {
  static final String MANAGED = "liffey:managed";
  static final String REGION = "liffey:region";
  static final String FLEET = "liffey:fleet";
  static final String INSTANCE_TYPE = "liffey:instance-type";
  private static final Logger log = LoggerFactory.getLogger(AutoScalingFleetActuator.class);

  /** How long a type EC2 could not launch in a zone is treated as short there. */
  static final Duration SHORTAGE_MEMORY = FleetState.SHORTAGE_MEMORY;

  /**
   * Where EC2 names the zone it had no capacity in: "... in the Availability Zone you requested
   * (eu-west-1a)".
   */
  private static final java.util.regex.Pattern ZONE =
      java.util.regex.Pattern.compile("Availability Zone you requested \\(([a-z0-9-]+)\\)");

  static final String INSUFFICIENT_CAPACITY = "InsufficientInstanceCapacity";

  private final EdgeConfig config;
  private final Function<String, AutoScalingClient> clients;
  private final Clock clock;
  private final Executor executor;
  private final Optional<RelayViewers> relayViewers;
  private final Map<FleetId, Group> known = new ConcurrentHashMap<>();
  private final Map<String, Instant> shortUntil = new ConcurrentHashMap<>();

  public AutoScalingFleetActuator(EdgeConfig config, Function<String, AutoScalingClient> clients) {
    this(config, clients, Instant::now);
  }

  public AutoScalingFleetActuator(
      EdgeConfig config, Function<String, AutoScalingClient> clients, Clock clock) {
    this(config, clients, clock, Runnable::run);
  }

  /**
   * @param executor reads the regions (in parallel, given more than one thread)
   */
  public AutoScalingFleetActuator(
      EdgeConfig config,
      Function<String, AutoScalingClient> clients,
      Clock clock,
      Executor executor) {
    this(config, clients, clock, executor, Optional.empty());
  }

  /**
   * @param relayViewers each relay's viewers: a relay scale-in removes the emptiest relays itself
   *     (without it, the group's termination policy chooses)
   */
  public AutoScalingFleetActuator(
      EdgeConfig config,
      Function<String, AutoScalingClient> clients,
      Clock clock,
      Executor executor,
      Optional<RelayViewers> relayViewers) {
    this.config = config;
    this.clients = clients;
    this.clock = clock;
    this.executor = executor;
    this.relayViewers = relayViewers;
  }

  /** The Auto Scaling group of {@code fleet}, once a read has found it. */
  public Optional<String> groupName(FleetId fleet) {
    return Optional.ofNullable(known.get(fleet)).map(Group::name);
  }

  /**
   * Every tagged group, the regions read in parallel; a region whose groups cannot be read is left
   * out ({@link PartialRead} names it), so nothing in it is acted on from data that could not be
   * read.
   */
  @Override
  public List<FleetState> fleets() {
    RegionReads.Results<List<FleetState>> r =
        RegionReads.each(config.regionIds(), this::read, executor);
    List<FleetState> out = new ArrayList<>();
    r.read().values().forEach(out::addAll);
    if (r.failed().isEmpty()) {
      return out;
    }
    List<String> problems = new ArrayList<>();
    r.failed()
        .forEach(
            (region, why) -> {
              log.warn(
                  "[region={}] cannot read Auto Scaling groups, leaving them out of this tick: {}",
                  region,
                  why);
              problems.add(region + ": " + why);
            });
    throw new PartialRead(out, problems);
  }

  private List<FleetState> read(String region) {
    AutoScalingClient as = clients.apply(region);
    List<FleetState> out = new ArrayList<>();
    var pages =
        as.describeAutoScalingGroupsPaginator(
            DescribeAutoScalingGroupsRequest.builder()
                .filters(
                    Filter.builder().name("tag:" + MANAGED).values("true").build(),
                    Filter.builder().name("tag:" + REGION).values(region).build())
                .build());
    for (AutoScalingGroup g : pages.autoScalingGroups()) {
      Optional<FleetId> id = fleetId(region, g.tags());
      if (id.isEmpty()) {
        continue;
      }
      int inService = 0;
      int pending = 0;
      List<Member> members = new ArrayList<>();
      for (Instance i : g.instances()) {
        String state = i.lifecycleStateAsString();
        if ("InService".equals(state)) {
          inService++;
          members.add(new Member(i.instanceId(), true));
        } else if (state != null && state.startsWith("Pending")) {
          pending++;
          members.add(new Member(i.instanceId(), false));
        }
      }
      // The group's own description carries its warm pool: no call per group.
      int poolSize =
          g.warmPoolConfiguration() == null || g.warmPoolConfiguration().minSize() == null
              ? 0
              : g.warmPoolConfiguration().minSize();
      int warm = g.warmPoolSize() == null ? 0 : g.warmPoolSize();
      known.put(
          id.get(),
          new Group(region, g.autoScalingGroupName(), g.desiredCapacity(), poolSize, members));
      boolean shortage =
          id.get().kind() == FleetKind.TRANSCODE
              && shortage(as, id.get(), g, g.desiredCapacity() > inService + pending);
      out.add(
          new FleetState(
              id.get(), g.desiredCapacity(), inService, pending, warm, poolSize, shortage));
    }
    return out;
  }

  /**
   * Whether EC2 recently could not launch this GPU group's type in any of the group's zones (where
   * one zone has capacity, the group launches there). Asks (one DescribeScalingActivities) only
   * when the group is missing instances it asked for; remembers each zone's shortage for {@link
   * #SHORTAGE_MEMORY} so the next type keeps taking the demand meanwhile. An error that names no
   * zone counts for all.
   */
  private boolean shortage(
      AutoScalingClient as, FleetId id, AutoScalingGroup g, boolean missingInstances) {
    Instant now = clock.now();
    List<String> zones = g.availabilityZones().isEmpty() ? List.of("*") : g.availabilityZones();
    if (missingInstances) {
      for (Activity a :
          as.describeScalingActivities(
                  b -> b.autoScalingGroupName(g.autoScalingGroupName()).maxRecords(5))
              .activities()) {
        boolean failed =
            "Failed".equals(a.statusCodeAsString()) || "Cancelled".equals(a.statusCodeAsString());
        boolean recent = a.startTime() != null && a.startTime().plus(SHORTAGE_MEMORY).isAfter(now);
        if (failed
            && recent
            && a.statusMessage() != null
            && a.statusMessage().contains(INSUFFICIENT_CAPACITY)) {
          var zone = ZONE.matcher(a.statusMessage());
          for (String z : zone.find() ? List.of(zone.group(1)) : zones) {
            shortUntil.merge(
                shortKey(id, z),
                a.startTime().plus(SHORTAGE_MEMORY),
                (x, y) -> x.isAfter(y) ? x : y);
          }
        }
      }
    }
    boolean everywhere =
        zones.stream()
            .allMatch(
                z -> {
                  Instant until = shortUntil.get(shortKey(id, z));
                  return until != null && until.isAfter(now);
                });
    if (everywhere && missingInstances) {
      log.warn(
          "[region={} fleet={}] EC2 has no {} capacity in {}: the next GPU type takes the demand",
          id.region(),
          id,
          id.name(),
          zones);
    }
    return everywhere;
  }

  private static String shortKey(FleetId id, String zone) {
    return id + "@" + zone;
  }

  private Optional<FleetId> fleetId(String region, List<TagDescription> tags) {
    String fleet = tag(tags, FLEET);
    if ("relay".equals(fleet)) {
      return Optional.of(FleetId.relay(region));
    }
    if ("transcode".equals(fleet)) {
      String type = tag(tags, INSTANCE_TYPE);
      return type == null ? Optional.empty() : Optional.of(FleetId.transcode(region, type));
    }
    return Optional.empty();
  }

  private static String tag(List<TagDescription> tags, String key) {
    return tags.stream()
        .filter(t -> key.equals(t.key()))
        .map(TagDescription::value)
        .findFirst()
        .orElse(null);
  }

  @Override
  public Optional<String> setCapacity(FleetId fleet, int desired, int warmPoolSize) {
    if (fleet.kind() == FleetKind.SERVICE) {
      throw new IllegalArgumentException(
          fleet + " is a Kubernetes service, not an Auto Scaling group");
    }
    Group g = known.get(fleet);
    if (g == null) {
      throw new IllegalStateException(
          "no Auto Scaling group tagged for " + fleet + " was found in the last read");
    }
    AutoScalingClient as = clients.apply(g.region);
    boolean poolChanges = g.poolSize != warmPoolSize || g.desired != desired;
    boolean relayRemoval =
        desired < g.desired && fleet.kind() == FleetKind.RELAY && relayViewers.isPresent();
    // A scale-in makes room in the pool first, so the instances it takes out stop into it (reuse on
    // scale-in) rather than terminate; a scale-out takes from the pool before it shrinks. Relays
    // removed one by one already have that room (the prepared capacity still counts them), and
    // the pool is written after, for the count they came to: some may have been kept.
    if (poolChanges && desired < g.desired && !relayRemoval) {
      putWarmPool(as, g.name, desired, warmPoolSize);
    }
    Optional<String> note = Optional.empty();
    int now = desired;
    if (relayRemoval) {
      Removal r = removeEmptiest(as, g, g.desired - desired);
      now = g.desired - r.removed();
      note = Optional.of(fleet + ": " + r.note());
      log.info("[region={}] {}", g.region, note.get());
      if (now != g.desired || g.poolSize != warmPoolSize) {
        putWarmPool(as, g.name, now, warmPoolSize);
      }
    } else if (g.desired != desired) {
      as.setDesiredCapacity(
          b -> b.autoScalingGroupName(g.name).desiredCapacity(desired).honorCooldown(false));
    }
    if (poolChanges && desired >= g.desired) {
      putWarmPool(as, g.name, desired, warmPoolSize);
    }
    known.put(fleet, new Group(g.region, g.name, now, warmPoolSize, g.members));
    return note;
  }

  private record Removal(int removed, String note) {}

  /**
   * Removes {@code count} relays, the emptiest first, so no relay with viewers goes while an
   * emptier one stays: first capacity not launched yet (a lower desired count cancels it), then
   * pending instances (no viewer can have joined), then those in service by the viewers their
   * agents last reported, each terminated with the group's desired count decremented (its drain
   * hook still runs). A relay whose count is unknown is kept. Throws, having removed nothing, when
   * no count can be read.
   */
  private Removal removeEmptiest(AutoScalingClient as, Group g, int count) {
    List<String> inService = g.members.stream().filter(Member::inService).map(Member::id).toList();
    Map<String, Double> viewers = relayViewers.get().viewers(g.region, inService);
    int unlaunched = Math.max(0, g.desired - g.members.size());
    int cancel = Math.min(count, unlaunched);
    if (cancel > 0) {
      int to = g.desired - cancel;
      as.setDesiredCapacity(
          b -> b.autoScalingGroupName(g.name).desiredCapacity(to).honorCooldown(false));
    }
    List<Map.Entry<String, Double>> ranked = new ArrayList<>();
    g.members.stream().filter(m -> !m.inService()).forEach(m -> ranked.add(Map.entry(m.id(), 0.0)));
    inService.stream()
        .filter(viewers::containsKey)
        .sorted(java.util.Comparator.comparingDouble(viewers::get))
        .forEach(id -> ranked.add(Map.entry(id, viewers.get(id))));
    List<String> removed = new ArrayList<>();
    for (Map.Entry<String, Double> e : ranked.subList(0, Math.min(count - cancel, ranked.size()))) {
      as.terminateInstanceInAutoScalingGroup(
          b -> b.instanceId(e.getKey()).shouldDecrementDesiredCapacity(true));
      removed.add(
          String.format(java.util.Locale.ROOT, "%s (%,.0f viewers)", e.getKey(), e.getValue()));
    }
    long unknown = inService.stream().filter(id -> !viewers.containsKey(id)).count();
    StringBuilder note = new StringBuilder("removed the emptiest relays");
    if (cancel > 0) {
      note.append(", ").append(cancel).append(" not launched yet");
    }
    if (!removed.isEmpty()) {
      note.append(": ").append(String.join(", ", removed));
    }
    int short_ = count - cancel - removed.size();
    if (short_ > 0) {
      note.append("; kept ")
          .append(short_)
          .append(" more: ")
          .append(unknown)
          .append(unknown == 1 ? " relay has" : " relays have")
          .append(" no recent viewer count");
    }
    return new Removal(cancel + removed.size(), note.toString());
  }

  /**
   * PutWarmPool replaces the whole configuration, so every field the CDK app set is given again:
   * stopped instances, reused on scale-in, and a prepared capacity of desired + pool, which is what
   * holds the pool at {@code size} (without it AWS keeps max - desired instances stopped).
   */
  private static void putWarmPool(AutoScalingClient as, String group, int desired, int size) {
    as.putWarmPool(
        b ->
            b.autoScalingGroupName(group)
                .minSize(size)
                .maxGroupPreparedCapacity(desired + size)
                .poolState(WarmPoolState.STOPPED)
                .instanceReusePolicy(r -> r.reuseOnScaleIn(true)));
  }

  private record Group(
      String region, String name, int desired, int poolSize, List<Member> members) {}

  /** An instance of a group, in service or still launching. */
  private record Member(String id, boolean inService) {}
}
