package dev.liffey.autoscaler.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liffey.autoscaler.TestConfigs;
import dev.liffey.autoscaler.sim.BundledTraces;
import dev.liffey.autoscaler.sim.InMemoryControlStore;
import dev.liffey.autoscaler.sim.SimulatedCloud;
import dev.liffey.autoscaler.sim.Simulation;
import dev.liffey.core.media.Ladder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ControlLoopTest {
  private static final FleetId DUBLIN = FleetId.relay("eu-west-1");
  private static final FleetId LONDON = FleetId.relay("eu-west-2");
  private final SimulatedCloud cloud;
  private final List<String> events = new ArrayList<>();
  private final InMemoryControlStore table = new InMemoryControlStore(ControlState.EMPTY);
  private boolean auditFails;
  private boolean readFails;
  private boolean laddersFail;
  private FleetId failingFleet;
  private Optional<String> chose = Optional.empty();
  private boolean routingReadFails;

  ControlLoopTest() throws Exception {
    var config = TestConfigs.repository();
    cloud = new SimulatedCloud(config, BundledTraces.viralSpike(config), Simulation.DEFAULT_START);
  }

  /**
   * A policy that asks, for each fleet it names, for that capacity and warm pool (-1: as it is),
   * and for weights if given.
   */
  private static ScalingPolicy asking(Map<FleetId, int[]> targets, Map<String, Integer> weights) {
    return new ScalingPolicy() {
      @Override
      public String name() {
        return "test";
      }

      @Override
      public Decision decide(Observation obs) {
        List<FleetPlan> plans = new ArrayList<>();
        targets.forEach(
            (id, t) -> {
              FleetState s = obs.fleets().get(id);
              if (s != null) {
                String verb =
                    t[0] > s.desired() ? "scale out " : t[0] < s.desired() ? "scale in " : "hold ";
                int pool = t[1] < 0 ? s.warmPoolSize() : t[1];
                plans.add(
                    new FleetPlan(
                        id,
                        s.desired(),
                        t[0],
                        pool,
                        verb + id + " " + s.desired() + "→" + t[0] + ": test"));
              }
            });
        Optional<RoutingPlan> route =
            weights.isEmpty()
                ? Optional.empty()
                : Optional.of(new RoutingPlan("IE", obs.weights(), weights, "shift IE: test"));
        return new Decision(obs.now(), "test", plans, route);
      }
    };
  }

  private static ScalingPolicy asking(FleetId fleet, int desired, int warmPool) {
    return asking(Map.of(fleet, new int[] {desired, warmPool}), Map.of());
  }

  /** A policy that keeps what it observes in {@code seen} and holds. */
  private static ScalingPolicy watching(List<Observation> seen) {
    return new ScalingPolicy() {
      @Override
      public String name() {
        return "watching";
      }

      @Override
      public Decision decide(Observation obs) {
        seen.add(obs);
        return new Decision(obs.now(), "watching", List.of(), Optional.empty());
      }
    };
  }

  private final FleetActuator groups =
      new FleetActuator() {
        @Override
        public List<FleetState> fleets() {
          return cloud.fleets();
        }

        @Override
        public Optional<String> setCapacity(FleetId fleet, int desired, int warmPoolSize) {
          if (fleet.equals(failingFleet)) {
            throw new IllegalStateException("Rate exceeded");
          }
          events.add("act " + fleet + "=" + desired + " pool " + warmPoolSize);
          cloud.setCapacity(fleet, desired, warmPoolSize);
          return chose;
        }
      };

  private final RoutingActuator routing =
      new RoutingActuator() {
        @Override
        public Map<String, Integer> weights() {
          if (routingReadFails) {
            throw new IllegalStateException("Route 53 unavailable");
          }
          return cloud.weights();
        }

        @Override
        public void setWeights(Map<String, Integer> weights) {
          events.add("route " + weights);
          cloud.setWeights(weights);
        }
      };

  private final ControlStore store =
      new ControlStore() {
        @Override
        public ControlState read() {
          if (readFails) {
            throw new IllegalStateException("control table unreachable");
          }
          return table.read();
        }

        @Override
        public void audit(AuditRecord record) {
          if (auditFails) {
            throw new IllegalStateException("control table unreachable");
          }
          table.audit(record);
          events.add(
              "audit "
                  + record.what()
                  + ": "
                  + record.why()
                  + " ["
                  + record.before()
                  + " -> "
                  + record.after()
                  + "] token "
                  + record.fencingToken());
        }

        @Override
        public void recordActions(Instant at, List<Actuation> done, long token) {
          table.recordActions(at, done, token);
          events.add("remember " + done.size() + " change(s)");
        }

        @Override
        public void recordLadders(Instant at, List<LadderPlan> plans, long token) {
          if (laddersFail) {
            throw new IllegalStateException("control table unreachable");
          }
          table.recordLadders(at, plans, token);
          plans.forEach(p -> events.add("ladders " + p.region() + " " + p.counts()));
        }
      };

  private ControlLoop loop(ScalingPolicy policy) {
    return loop(policy, MetricSanity.FINITE);
  }

  private ControlLoop loop(ScalingPolicy policy, MetricSanity sanity) {
    return new ControlLoop(
        policy,
        cloud,
        groups,
        cloud,
        routing,
        store,
        cloud,
        new ControlLoop.Settings(false, sanity, Duration.ofMinutes(15), Optional.empty()));
  }

  private int desired(FleetId id) {
    return cloud.fleets().stream()
        .filter(f -> f.id().equals(id))
        .findFirst()
        .orElseThrow()
        .desired();
  }

  /** A fence that lets {@code allowed} actuations through, then refuses. */
  private static Fence allowing(int allowed, long token) {
    AtomicInteger asked = new AtomicInteger();
    return new Fence() {
      @Override
      public Optional<String> refusal() {
        return asked.getAndIncrement() < allowed ? Optional.empty() : Optional.of("lease lost");
      }

      @Override
      public long token() {
        return token;
      }

      @Override
      public Duration remaining() {
        return Duration.ofSeconds(5);
      }
    };
  }

  @Test
  void writesTheAuditRecordBeforeActing() {
    loop(asking(DUBLIN, 9, -1)).tick();

    assertThat(events)
        .containsExactly(
            "audit scale: scale out relay eu-west-1 0→9: test [relay eu-west-1=0 -> relay eu-west-1=9] token 0",
            "act relay eu-west-1=9 pool 10",
            "remember 1 change(s)");
    assertThat(desired(DUBLIN)).isEqualTo(9);
  }

  /** A policy that scales Dublin's relays to 9 and shortens Dublin's ladders. */
  private static ScalingPolicy shortening() {
    return new ScalingPolicy() {
      @Override
      public String name() {
        return "test";
      }

      @Override
      public Decision decide(Observation obs) {
        Decision relays = asking(DUBLIN, 9, -1).decide(obs);
        LadderPlan ladders =
            new LadderPlan(
                "eu-west-1",
                35,
                Map.of(Ladder.FULL, 26, Ladder.FROM_720, 9),
                0,
                30,
                true,
                "ladders eu-west-1: test");
        return new Decision(
            obs.now(), "test", relays.fleets(), Optional.empty(), Map.of(), List.of(ladders));
      }
    };
  }

  @Test
  void aLadderPlanIsAuditedWithTheFleets_thenWrittenForTheTranscoderAgents() {
    TickReport r = loop(shortening()).tick(Fence.NONE);

    assertThat(events)
        .containsExactly(
            "audit scale: scale out relay eu-west-1 0→9: test; ladders eu-west-1: test"
                + " [relay eu-west-1=0, ladders eu-west-1 full (none written)"
                + " -> relay eu-west-1=9, ladders eu-west-1 26x1080/720/480/360 9x720/480/360]"
                + " token 0",
            "act relay eu-west-1=9 pool 10",
            "ladders eu-west-1 26x1080/720/480/360 9x720/480/360",
            "remember 1 change(s)");
    assertThat(r.failed()).isEmpty();
    assertThat(table.read().ladders().get("eu-west-1").plan().on(Ladder.FROM_720)).isEqualTo(9);
  }

  @Test
  void aLadderPlanThatCannotBeWritten_isReportedAndAudited_andTheFleetsStillAct() {
    laddersFail = true;

    TickReport r = loop(shortening()).tick(Fence.NONE);

    assertThat(desired(DUBLIN)).isEqualTo(9);
    assertThat(r.failed())
        .containsExactly("ladders [eu-west-1] not written: control table unreachable");
    assertThat(table.auditLog()).last().extracting(AuditRecord::what).isEqualTo("failed");
    assertThat(table.read().ladders()).isEmpty();
  }

  @Test
  void withoutTheControlTable_noLadderPlanIsWritten_andADryRunWritesNone() {
    readFails = true;
    loop(shortening()).tick(Fence.NONE);
    assertThat(events).isEmpty();

    readFails = false;
    new ControlLoop(shortening(), cloud, groups, cloud, routing, store, cloud, true).tick();
    assertThat(events).singleElement().asString().startsWith("audit plan (dry run)");
    assertThat(table.read().ladders()).isEmpty();
  }

  @Test
  void aDryRunDecidesAndRecordsButNeverActs() {
    Decision d =
        new ControlLoop(asking(DUBLIN, 9, -1), cloud, groups, cloud, routing, store, cloud, true)
            .tick();

    assertThat(d.changesAnything()).isTrue();
    assertThat(events).singleElement().asString().startsWith("audit plan (dry run)");
    assertThat(desired(DUBLIN)).isZero();
  }

  @Test
  void whenTheAuditRecordCannotBeWritten_nothingIsActedOn() {
    auditFails = true;

    assertThatThrownBy(loop(asking(DUBLIN, 9, -1))::tick).hasMessage("control table unreachable");
    assertThat(events).isEmpty();
    assertThat(desired(DUBLIN)).isZero();
  }

  @Test
  void aWarmPoolOnlyChangeIsAuditedBeforeItIsMade() {
    TickReport r = loop(asking(DUBLIN, 0, 4)).tick(Fence.NONE);

    assertThat(events)
        .containsExactly(
            "audit scale: warm pool relay eu-west-1 10→4 [relay eu-west-1=0 (warm pool 10) -> relay eu-west-1=0 (warm pool 4)]"
                + " token 0",
            "act relay eu-west-1=0 pool 4");
    assertThat(r.acted()).isTrue();
    assertThat(r.complete()).isTrue();
  }

  @Test
  void whichRelaysAScaleInRemoved_isAuditedAfterTheScaleIn() {
    cloud.setCapacity(DUBLIN, 9, 10);
    chose = Optional.of("relay eu-west-1: removed the emptiest relays: i-1 (0 viewers)");

    loop(asking(DUBLIN, 8, -1)).tick(Fence.NONE);

    assertThat(events.stream().filter(e -> e.startsWith("audit")).toList())
        .hasSize(2)
        .last()
        .asString()
        .startsWith("audit chose: relay eu-west-1: removed the emptiest relays: i-1 (0 viewers)");
  }

  @Test
  void oneGroupsFailure_leavesTheOthersActing_isAuditedAndReported_andWhatWasDoneIsRemembered() {
    failingFleet = DUBLIN;
    TickReport r =
        loop(asking(Map.of(DUBLIN, new int[] {9, -1}, LONDON, new int[] {7, -1}), Map.of()))
            .tick(Fence.NONE);

    assertThat(desired(LONDON)).isEqualTo(7);
    assertThat(desired(DUBLIN)).isZero();
    assertThat(r.done()).extracting(Actuation::fleet).containsExactly(LONDON);
    assertThat(r.failed()).containsExactly("relay eu-west-1 relay eu-west-1=9: Rate exceeded");
    assertThat(events).contains("remember 1 change(s)");
    assertThat(events.get(events.size() - 1))
        .startsWith("audit failed: relay eu-west-1 relay eu-west-1=9: Rate exceeded");
    assertThat(table.read().lastActions()).containsOnlyKeys(LONDON);
  }

  @Test
  void withRoutingUnreadable_capacityIsStillActedOn_andRoutingHolds() {
    routingReadFails = true;
    TickReport r =
        loop(asking(Map.of(DUBLIN, new int[] {9, -1}), Map.of("eu-west-1", 0, "eu-west-2", 255)))
            .tick(Fence.NONE);

    assertThat(desired(DUBLIN)).isEqualTo(9);
    assertThat(events).noneMatch(e -> e.startsWith("route"));
    assertThat(r.unread()).containsExactly("routing weights: Route 53 unavailable");
    assertThat(r.decision().routing().orElseThrow().reason())
        .startsWith("hold IE weights")
        .contains("routing weights unreadable");
    assertThat(r.complete()).isFalse();
  }

  @Test
  void withTheControlTableUnreadable_theLastStateReadAllowsScaleOutOnly_andNoRoutingChange() {
    ControlLoop loop =
        loop(
            asking(
                Map.of(DUBLIN, new int[] {5, -1}, LONDON, new int[] {7, -1}),
                Map.of("eu-west-1", 0, "eu-west-2", 255)));
    loop.tick(Fence.NONE); // reads the table once
    cloud.setCapacity(DUBLIN, 9, 10);
    cloud.setCapacity(LONDON, 0, 10);
    events.clear();
    readFails = true;
    cloud.step(Duration.ofSeconds(10));

    TickReport r = loop.tick(Fence.NONE);

    assertThat(desired(DUBLIN)).as("no scale-in").isEqualTo(9);
    assertThat(desired(LONDON)).as("scale-out allowed").isEqualTo(7);
    assertThat(events).noneMatch(e -> e.startsWith("route"));
    assertThat(r.unread()).containsExactly("control table: control table unreachable");
    assertThat(r.controlProblems())
        .singleElement()
        .asString()
        .startsWith("control table: acting on the state read at");
  }

  @Test
  void withTheControlTableNeverRead_nothingIsActedOn() {
    readFails = true;

    TickReport r = loop(asking(DUBLIN, 9, -1)).tick(Fence.NONE);

    assertThat(events).isEmpty();
    assertThat(desired(DUBLIN)).isZero();
    assertThat(r.decision().fleets())
        .singleElement()
        .extracting(FleetPlan::reason)
        .asString()
        .contains("control table unreadable");
  }

  @Test
  void aFenceThatRefusesMidTick_abandonsTheRest_andRemembersWhatWasDone() {
    TickReport r =
        loop(asking(Map.of(DUBLIN, new int[] {9, -1}, LONDON, new int[] {7, -1}), Map.of()))
            .tick(allowing(2, 3)); // one check before the audit, one before the first actuation

    assertThat(r.done()).hasSize(1);
    assertThat(r.abandoned()).contains("lease lost: 1 of 2 fleet changes not made");
    assertThat(events).filteredOn(e -> e.startsWith("act")).hasSize(1);
    assertThat(events.get(0)).endsWith("token 3");
    assertThat(table.read().lastActions()).hasSize(1);
  }

  @Test
  void aDeposedLeadersAuditIsRefused_andItActsOnNothing() {
    table.audit(new AuditRecord(cloud.now(), "new leader", "scale", "x", "", "", 8));

    TickReport r = loop(asking(DUBLIN, 9, -1)).tick(allowing(10, 7));

    assertThat(r.abandoned()).hasValueSatisfying(a -> assertThat(a).contains("older than 8"));
    assertThat(events).isEmpty();
    assertThat(desired(DUBLIN)).isZero();
  }

  @Test
  void impossibleMetricValuesAreTreatedAsMissing_andNamedInTheReport() {
    MetricsSource lying =
        () -> {
          Metrics m = cloud.read();
          Map<MarketRegion, Sample> viewers = new java.util.HashMap<>(m.viewers());
          viewers.put(new MarketRegion("IE", "eu-west-1"), new Sample(1_000_000_000, m.at()));
          viewers.put(new MarketRegion("GB", "eu-west-2"), new Sample(Double.NaN, m.at()));
          return new Metrics(m.at(), viewers, m.latencyP95Millis(), m.streams(), m.missing());
        };
    List<Observation> seen = new ArrayList<>();

    TickReport r =
        new ControlLoop(
                watching(seen),
                lying,
                groups,
                cloud,
                routing,
                store,
                cloud,
                new ControlLoop.Settings(
                    false,
                    MetricSanity.of(TestConfigs.repository()),
                    Duration.ofMinutes(15),
                    Optional.empty()))
            .tick(Fence.NONE);

    assertThat(seen.get(0).metrics().viewers())
        .doesNotContainKeys(
            new MarketRegion("IE", "eu-west-1"), new MarketRegion("GB", "eu-west-2"));
    assertThat(seen.get(0).metrics().missing())
        .contains("viewers IE@eu-west-1", "viewers GB@eu-west-2");
    assertThat(r.refusedMetrics())
        .hasSize(2)
        .anySatisfy(
            x ->
                assertThat(x)
                    .startsWith("viewers IE@eu-west-1 = 1,000,000,000 is above")
                    .endsWith(
                        "what eu-west-1's relays carry at their largest: treated as missing"));
  }

  @Test
  void aFleetThatCouldNotBeReadThisTick_isNeverActedOn_butStaysKnownAtItsLastState() {
    cloud.setCapacity(DUBLIN, 4, 10);
    List<Observation> seen = new ArrayList<>();
    AtomicInteger reads = new AtomicInteger();
    FleetActuator flaky =
        new FleetActuator() {
          @Override
          public List<FleetState> fleets() {
            List<FleetState> all = cloud.fleets();
            if (reads.getAndIncrement() == 0) {
              return all;
            }
            throw new PartialRead(
                all.stream().filter(f -> !f.id().region().equals("eu-west-1")).toList(),
                List.of("eu-west-1: Service Unavailable"));
          }

          @Override
          public Optional<String> setCapacity(FleetId fleet, int desired, int warmPoolSize) {
            return groups.setCapacity(fleet, desired, warmPoolSize);
          }
        };
    ControlLoop loop =
        new ControlLoop(watching(seen), cloud, flaky, cloud, routing, store, cloud, false);
    loop.tick(Fence.NONE);

    TickReport r = loop.tick(Fence.NONE);

    assertThat(seen.get(1).fleets()).doesNotContainKey(DUBLIN);
    assertThat(seen.get(1).unreadFleets().get(DUBLIN).desired()).isEqualTo(4);
    assertThat(r.unread()).containsExactly("Auto Scaling groups eu-west-1: Service Unavailable");
    assertThat(Set.copyOf(r.problems()))
        .contains("unread Auto Scaling groups eu-west-1: Service Unavailable");
  }
}
