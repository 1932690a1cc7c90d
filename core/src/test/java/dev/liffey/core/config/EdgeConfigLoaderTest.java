package dev.liffey.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class EdgeConfigLoaderTest {
  private static final Clock NOV_2026 =
      Clock.fixed(Instant.parse("2026-11-24T09:00:00Z"), ZoneOffset.UTC);
  private static String repositoryYaml;
  private final EdgeConfigLoader loader = new EdgeConfigLoader(NOV_2026);

  @BeforeAll
  static void readRepositoryConfig() throws IOException {
    repositoryYaml = Files.readString(Path.of("..", EdgeConfigLoader.DEFAULT_FILE));
  }

  private List<ConfigProblem> problemsOf(String yaml) {
    return catchThrowableOfType(InvalidConfigException.class, () -> loader.parse("edge.yaml", yaml))
        .problems();
  }

  private static String replaceOnce(String text, String from, String to) {
    int at = text.indexOf(from);
    assertThat(at).as("fixture text '%s' is in edge-regions.yaml", from).isNotNegative();
    return text.substring(0, at) + to + text.substring(at + from.length());
  }

  private static int lineOf(String text, String fragment) {
    return (int) text.substring(0, text.indexOf(fragment)).chars().filter(c -> c == '\n').count()
        + 1;
  }

  @Test
  void theRepositoryConfigIsValid_andNamesTheEuRegionsMarketsAndRouting() throws Exception {
    LoadedConfig loaded = loader.parse("edge-regions.yaml", repositoryYaml);
    EdgeConfig config = loaded.config();

    assertThat(loaded.warnings()).isEmpty();
    assertThat(config.regionIds()).containsExactly("eu-west-1", "eu-west-2", "eu-central-1");
    assertThat(config.markets()).extracting(Market::code).containsExactly("IE", "GB", "DE");
    assertThat(config.routing().recordName()).isEqualTo("ie.edge.live.liffey.example");
    assertThat(config.routing().initialWeights())
        .containsEntry("eu-west-1", 200)
        .containsEntry("eu-west-2", 55);
    assertThat(config.control().tableName()).isEqualTo("liffey-control");
    Region dublin = config.region("eu-west-1");
    assertThat(dublin.transcode())
        .extracting(t -> t.sizing().instanceType())
        .containsExactly("g6.2xlarge", "g5.2xlarge", "g4dn.2xlarge");
    assertThat(dublin.transcode().get(0).encodes()).contains(VideoCodec.AV1);
    assertThat(dublin.relay().sizing().coldBoot())
        .isGreaterThanOrEqualTo(java.time.Duration.ofSeconds(90));
    assertThat(dublin.eks().services())
        .extracting(ServiceFleet::name)
        .containsExactly("chat", "wallet", "game");
  }

  @Test
  void theRepositoryConfigPricesEgressInEveryRegion_andStatesWhatReachesAViewer() throws Exception {
    EdgeConfig config = loader.parse("edge-regions.yaml", repositoryYaml).config();

    assertThat(config.regions())
        .extracting(Region::egressUsdPerGb)
        .containsExactly(0.09, 0.09, 0.09);
    assertThat(config.media()).isEqualTo(new Media(2.5, 7.0));
    // 2.5 Mbit/s for an hour is 1.125 GB.
    assertThat(config.media().gigabytes(3600))
        .isCloseTo(1.125, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void anEgressPriceOutsideZeroToOneUsdPerGb_orNone_isRejected_namingTheFieldAndTheFix() {
    String yaml = replaceOnce(repositoryYaml, "egressUsdPerGb: 0.09", "egressUsdPerGb: 9");
    yaml = replaceOnce(yaml, "    egressUsdPerGb: 0.09\n", "    egressUsdPerGb: 0\n");
    yaml = replaceOnce(yaml, "    egressUsdPerGb: 0.09\n", "");

    List<ConfigProblem> problems = problemsOf(yaml);

    assertThat(problems)
        .extracting(ConfigProblem::path)
        .containsExactly(
            "regions[0].egressUsdPerGb", "regions[1].egressUsdPerGb", "regions[2].egressUsdPerGb");
    assertThat(problems)
        .extracting(ConfigProblem::message)
        .containsExactly(
            "9 is out of range (0, 1]", "0 is out of range (0, 1]", "'egressUsdPerGb' is required");
    assertThat(problems.get(0).line()).isEqualTo(lineOf(yaml, "egressUsdPerGb: 9"));
    assertThat(problems)
        .allSatisfy(
            p -> assertThat(p.hint()).contains("USD per GB").contains("egressUsdPerGb: 0.09"));
  }

  @Test
  void aShareOfReconnectingPlayersOutsideZeroToOne_isRejected_andWithoutItNoPlayerFollows()
      throws Exception {
    String bad =
        replaceOnce(
            repositoryYaml,
            "drainSeconds: 7200\n",
            "drainSeconds: 7200\n      reconnectingPlayers: 1.5\n");

    List<ConfigProblem> problems = problemsOf(bad);

    assertThat(problems)
        .extracting(ConfigProblem::path)
        .containsExactly("regions[0].relay.reconnectingPlayers");
    assertThat(problems.get(0).message()).isEqualTo("1.5 is out of range [0, 1]");
    assertThat(problems.get(0).hint()).contains("follow a relay's WHEP reconnect event");
    String half =
        replaceOnce(
            repositoryYaml,
            "drainSeconds: 7200\n",
            "drainSeconds: 7200\n      reconnectingPlayers: 0.5\n");
    EdgeConfig config = loader.parse("edge.yaml", half).config();
    assertThat(config.regions().get(0).relay().reconnectingPlayers()).isEqualTo(0.5);
    assertThat(config.regions().get(1).relay().reconnectingPlayers()).isZero();
  }

  @Test
  void aViewerBitrateOrJitterOutOfBounds_isRejected_andWithoutAMediaBlockTheSourcedDefaultsHold()
      throws Exception {
    String bad = replaceOnce(repositoryYaml, "viewerBitrateMbps: 2.5", "viewerBitrateMbps: 2500");
    bad = replaceOnce(bad, "jitterMillis: 7", "jitterMillis: -1");

    List<ConfigProblem> problems = problemsOf(bad);

    assertThat(problems)
        .extracting(ConfigProblem::path)
        .containsExactly("media.viewerBitrateMbps", "media.jitterMillis");
    assertThat(problems.get(0).message()).isEqualTo("2500 is out of range (0, 100]");
    assertThat(problems.get(0).hint()).contains("Mbit/s");
    assertThat(problems.get(1).message()).isEqualTo("-1 is out of range [0, 500]");

    String without =
        replaceOnce(repositoryYaml, "media:\n  viewerBitrateMbps: 2.5\n  jitterMillis: 7\n", "");
    assertThat(loader.parse("edge.yaml", without).config().media())
        .isEqualTo(new Media(Media.DEFAULT_VIEWER_BITRATE_MBPS, Media.DEFAULT_JITTER_MILLIS));
  }

  @Test
  void reportsEveryProblemAtOnce_eachWithLineColumnPathAndHint() {
    String yaml = replaceOnce(repositoryYaml, "maxInstances: 120", "maxInstances: 2");
    yaml =
        replaceOnce(
            yaml,
            "- {region: eu-west-2, baseLatencyMillis: 21}",
            "- {region: eu-north-9, baseLatencyMillis: 21}");
    yaml = replaceOnce(yaml, "eu-west-2: 55", "eu-west-2: 300");

    List<ConfigProblem> problems = problemsOf(yaml);

    assertThat(problems).hasSize(4);
    ConfigProblem minMax = problems.get(0);
    assertThat(minMax.path()).isEqualTo("regions[0].relay.minInstances");
    assertThat(minMax.line()).isEqualTo(lineOf(yaml, "minInstances: 4"));
    assertThat(minMax.column()).isEqualTo(21);
    assertThat(minMax.message()).isEqualTo("minInstances 4 is above maxInstances 2");
    assertThat(minMax.hint()).isEqualTo("lower minInstances or raise maxInstances");
    assertThat(problems.get(1).path()).isEqualTo("regions[0].relay.warmPoolSize");
    assertThat(problems)
        .extracting(ConfigProblem::path)
        .contains("markets[2].servedBy[1].region", "routing.initialWeights.eu-west-2");
    assertThat(problems.get(2).toString())
        .startsWith("edge.yaml:" + lineOf(yaml, "eu-north-9") + ":")
        .contains("no region 'eu-north-9' in regions")
        .contains("(hint: use one of eu-central-1, eu-west-1, eu-west-2)");
    assertThat(problems.get(3).message()).isEqualTo("300 is out of range [0, 255]");
  }

  @Test
  void rejectsAnUnknownKey_suggestingTheKnownOne() {
    String yaml =
        replaceOnce(repositoryYaml, "viewersPerInstance: 1500", "viewersPerInstanse: 1500");

    List<ConfigProblem> problems = problemsOf(yaml);

    assertThat(problems)
        .extracting(ConfigProblem::toString)
        .containsExactly(
            "edge.yaml:"
                + lineOf(yaml, "instanceType: c6in")
                + ":7: regions[0].relay.viewersPerInstance: 'viewersPerInstance' is"
                + " required (hint: concurrent viewers one relay serves at full utilization, like 1500)",
            "edge.yaml:"
                + lineOf(yaml, "viewersPerInstanse")
                + ":7: regions[0].relay.viewersPerInstanse: unknown key"
                + " 'viewersPerInstanse' (hint: did you mean 'viewersPerInstance'?)");
  }

  @Test
  void reportsYamlSyntaxErrors_withTheLine() {
    String yaml =
        replaceOnce(repositoryYaml, "  market: IE\n  hostedZone", "  market: [IE\n  hostedZone");

    List<ConfigProblem> problems = problemsOf(yaml);

    assertThat(problems).hasSize(1);
    assertThat(problems.get(0).message()).startsWith("YAML syntax error");
    assertThat(problems.get(0).line())
        .isBetween(lineOf(yaml, "market: [IE"), lineOf(yaml, "market: [IE") + 2);
  }

  @Test
  void rejectsBootTimesFasterThanEc2CanDeliver() {
    String yaml = replaceOnce(repositoryYaml, "coldBootSeconds: 300", "coldBootSeconds: 60");

    List<ConfigProblem> problems = problemsOf(yaml);

    assertThat(problems)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("regions[0].transcode[0].coldBootSeconds");
              assertThat(p.message()).isEqualTo("60 s is faster than a GPU instance boots on EC2");
            });
  }

  @Test
  void everyRegionRanksWalletAboveGameAboveChat_andStatesHowLongANodeTakesToArrive()
      throws Exception {
    EdgeConfig config = loader.parse("edge-regions.yaml", repositoryYaml).config();

    for (Region region : config.regions()) {
      var byName =
          region.eks().services().stream()
              .collect(
                  java.util.stream.Collectors.toMap(ServiceFleet::name, ServiceFleet::priority));
      assertThat(byName.get("wallet")).as(region.id()).isGreaterThan(byName.get("game"));
      assertThat(byName.get("game")).as(region.id()).isGreaterThan(byName.get("chat"));
      assertThat(region.eks().nodeStartup()).as(region.id()).hasSeconds(60);
    }
    assertThat(config.region("eu-west-1").eks().services().get(0).priorityClassName())
        .isEqualTo("liffey-chat");
  }

  @Test
  void aServiceWithoutAPriority_orWithAnotherServicesPriority_isRejected_namingTheField() {
    String yaml = replaceOnce(repositoryYaml, "          priority: 1000\n", "");
    yaml = replaceOnce(yaml, "          priority: 2000\n", "          priority: 3000\n");

    List<ConfigProblem> problems = problemsOf(yaml);

    assertThat(problems)
        .extracting(ConfigProblem::path)
        .containsExactly(
            "regions[0].eks.services.chat.priority", "regions[0].eks.services.game.priority");
    assertThat(problems.get(0).message()).isEqualTo("'priority' is required");
    assertThat(problems.get(0).hint())
        .contains("PriorityClass liffey-chat")
        .contains("distinct per region");
    assertThat(problems.get(1).message()).isEqualTo("priority 3000 is also wallet's");
    assertThat(problems.get(1).hint()).contains("its own priority");
    // game is Dublin's last service: its priority line is followed by London's region
    assertThat(problems.get(1).line())
        .isEqualTo(lineOf(yaml, "priority: 3000\n\n  - id: eu-west-2"));
  }

  @Test
  void roomForTheRelayWarmPoolIsOffUnlessAsked_andOnlyTrueOrFalse() throws Exception {
    assertThat(
            loader.parse("edge.yaml", repositoryYaml).config().region("eu-west-1").eks().services())
        .noneMatch(ServiceFleet::roomForRelayWarmPool);
    String on =
        replaceOnce(
            repositoryYaml,
            "          priority: 3000\n",
            "          priority: 3000\n          roomForRelayWarmPool: true\n");
    EdgeConfig withRoom = loader.parse("edge.yaml", on).config();
    assertThat(withRoom.region("eu-west-1").eks().services())
        .filteredOn(ServiceFleet::roomForRelayWarmPool)
        .extracting(ServiceFleet::name)
        .containsExactly("wallet");

    List<ConfigProblem> problems =
        problemsOf(
            replaceOnce(
                repositoryYaml,
                "          priority: 3000\n",
                "          priority: 3000\n          roomForRelayWarmPool: yes\n"));
    assertThat(problems)
        .extracting(ConfigProblem::path)
        .containsExactly("regions[0].eks.services.wallet.roomForRelayWarmPool");
    assertThat(problems.get(0).message()).isEqualTo("'yes' is not true or false");
    assertThat(problems.get(0).hint()).contains("relay warm pool");
  }

  @Test
  void nodeStartupDefaultsToSixtySeconds_andFasterThanEc2CanDeliverIsRejected() throws Exception {
    String without = repositoryYaml.replace("      nodeStartupSeconds: 60\n", "");
    assertThat(without).doesNotContain("nodeStartupSeconds");
    assertThat(loader.parse("edge.yaml", without).config().region("eu-west-2").eks().nodeStartup())
        .isEqualTo(EksCluster.DEFAULT_NODE_STARTUP)
        .hasSeconds(60);

    String fast = replaceOnce(repositoryYaml, "nodeStartupSeconds: 60", "nodeStartupSeconds: 10");

    assertThat(problemsOf(fast))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("regions[0].eks.nodeStartupSeconds");
              assertThat(p.message()).isEqualTo("10 is out of range [30, 900]");
              assertThat(p.hint()).contains("45-60").contains("nodeStartupSeconds: 60");
              assertThat(p.line()).isEqualTo(lineOf(fast, "nodeStartupSeconds: 10"));
            });
  }

  @Test
  void theSurgeBoundDefaultsToTenTimes_andOneBelowOneIsRejected() throws Exception {
    assertThat(loader.parse("edge.yaml", repositoryYaml).config().scaling().maxSurgeFactor())
        .isEqualTo(10);
    String without = repositoryYaml.replaceFirst("  maxSurgeFactor: 10\n", "");
    assertThat(without).doesNotContain("maxSurgeFactor");
    assertThat(loader.parse("edge.yaml", without).config().scaling().maxSurgeFactor())
        .isEqualTo(Scaling.DEFAULT_MAX_SURGE_FACTOR);
    assertThat(
            loader
                .parse(
                    "edge.yaml",
                    replaceOnce(repositoryYaml, "maxSurgeFactor: 10", "maxSurgeFactor: 4"))
                .config()
                .scaling()
                .maxSurgeFactor())
        .isEqualTo(4);

    String shrinking = replaceOnce(repositoryYaml, "maxSurgeFactor: 10", "maxSurgeFactor: 0.5");

    assertThat(problemsOf(shrinking))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("scaling.maxSurgeFactor");
              assertThat(p.message()).isEqualTo("0.5 is out of range [1, 1000]");
              assertThat(p.hint()).contains("maxSurgeFactor: 10");
            });
  }

  @Test
  void replicasPerNodeDefaultsToFour_andANodeWithNoRoomIsRejected() throws Exception {
    String without = repositoryYaml.replace("      replicasPerNode: 4\n", "");
    assertThat(without).doesNotContain("replicasPerNode");
    assertThat(loader.parse("edge.yaml", without).config().region("eu-west-2").eks())
        .extracting(EksCluster::replicasPerNode)
        .isEqualTo(EksCluster.DEFAULT_REPLICAS_PER_NODE)
        .isEqualTo(4);

    String none = replaceOnce(repositoryYaml, "replicasPerNode: 4", "replicasPerNode: 0");

    assertThat(problemsOf(none))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("regions[0].eks.replicasPerNode");
              assertThat(p.message()).isEqualTo("0 is out of range [1, 250]");
              assertThat(p.hint()).contains("replicasPerNode: 4");
              assertThat(p.line()).isEqualTo(lineOf(none, "replicasPerNode: 0"));
            });
  }

  @Test
  void theTickDeadlineDefaultsBelowTheTickAndTheLeasesRenewDeadline() throws Exception {
    var autoscaler = loader.parse("edge-regions.yaml", repositoryYaml).config().autoscaler();

    assertThat(autoscaler.leaseDuration()).hasSeconds(15);
    assertThat(autoscaler.renewDeadline()).hasSeconds(10);
    assertThat(autoscaler.tickDeadline()).hasSeconds(8);
  }

  @Test
  void aTickDeadlineThatCouldOutliveTheLeaseIsRejected_namingBothKnobs() {
    String yaml =
        replaceOnce(
            repositoryYaml,
            "  namespace: liffey-system",
            "  namespace: liffey-system\n  leaseSeconds: 9\n  tickDeadlineSeconds: 7");

    assertThat(problemsOf(yaml))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("autoscaler.tickDeadlineSeconds");
              assertThat(p.message())
                  .isEqualTo(
                      "a tick of up to 7 s could outlive the lease's renew deadline (6 s, two"
                          + " thirds of leaseSeconds)");
              assertThat(p.hint())
                  .isEqualTo("lower tickDeadlineSeconds below 6 or raise leaseSeconds");
            });
  }

  @Test
  void rejectsANonEuRegion_overlappingVpcs_andAFirstGpuTypeWithoutAv1() {
    String yaml = replaceOnce(repositoryYaml, "id: eu-central-1", "id: us-east-1");
    yaml = yaml.replace("eu-central-1", "us-east-1");
    yaml = replaceOnce(yaml, "vpcCidr: 10.41.0.0/16", "vpcCidr: 10.40.0.0/16");
    yaml = replaceOnce(yaml, "encodes: [av1, hevc, h264]", "encodes: [hevc, h264]");

    assertThat(problemsOf(yaml))
        .extracting(ConfigProblem::path)
        .containsExactly("regions[0].transcode[0].encodes", "regions[1].vpcCidr", "regions[2].id");
  }

  @Test
  void warnsAboutEndedEvents_withoutRejectingTheConfig() throws Exception {
    LoadedConfig later =
        new EdgeConfigLoader(Clock.fixed(Instant.parse("2027-01-01T00:00:00Z"), ZoneOffset.UTC))
            .parse("edge.yaml", repositoryYaml);

    assertThat(later.warnings())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.path()).isEqualTo("events[0]");
              assertThat(w.message()).contains("ended at 2026-12-26T19:40:00Z");
            });
  }

  @Test
  void warnsWhenAnEventsAudienceExceedsWhatItsRegionsCanEverCarry_namingTheShortfall()
      throws Exception {
    // IE is served by Dublin (120 relays x 1,500) and London (100 x 1,500): 330,000 viewers at
    // most.
    String yaml = replaceOnce(repositoryYaml, "expectedViewers: 240000", "expectedViewers: 400000");

    LoadedConfig loaded = loader.parse("edge.yaml", yaml);

    assertThat(loaded.warnings())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.path()).isEqualTo("events[1].expectedViewers");
              assertThat(w.message())
                  .isEqualTo(
                      "event 'Six Nations: Ireland v England' expects 400,000 viewers, 70,000 more"
                          + " than the relays of eu-west-1 and eu-west-2 can ever carry (330,000 at their maxInstances)");
              assertThat(w.hint())
                  .isEqualTo(
                      "raise relay.maxInstances in eu-west-1, eu-west-2, or lower expectedViewers");
            });
  }

  @Test
  void warnsWhenRelaysAtTheTargetBreakTheSlo_namingTheWorstMarketRegionAndAFixThatClearsIt()
      throws Exception {
    // At 90% the relay model's queue puts the p95 at 131-144 ms by base latency (8-21 ms).
    String tight = replaceOnce(repositoryYaml, "latencySloMillis: 150", "latencySloMillis: 120");

    assertThat(loader.parse("edge.yaml", tight).warnings())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.path()).isEqualTo("scaling.latencySloMillis");
              assertThat(w.message())
                  .startsWith(
                      "at targetUtilization 0.90 the relays' own queueing puts the p95 of DE"
                          + " viewers on eu-west-2 at 144 ms (base 21 ms), above latencySloMillis"
                          + " 120, with no fault (every market-region is;")
                  .contains("M/M/1 wait of 4 ms service plus media.jitterMillis 7 ms");
              assertThat(w.hint())
                  .isEqualTo(
                      "raise latencySloMillis to at least 145, or lower targetUtilization to 0.87");
            });
    // Either fix the hint names clears it.
    assertThat(
            loader
                .parse(
                    "edge.yaml",
                    replaceOnce(tight, "latencySloMillis: 120", "latencySloMillis: 145"))
                .warnings())
        .isEmpty();
    assertThat(
            loader
                .parse(
                    "edge.yaml",
                    replaceOnce(tight, "targetUtilization: 0.90", "targetUtilization: 0.87"))
                .warnings())
        .isEmpty();
  }

  @Test
  void anSloOnlyTheFarthestRouteBreaksAtTheTarget_isWarnedOfForThatRouteAlone() throws Exception {
    String yaml = replaceOnce(repositoryYaml, "latencySloMillis: 150", "latencySloMillis: 141");

    assertThat(loader.parse("edge.yaml", yaml).warnings())
        .singleElement()
        .satisfies(w -> assertThat(w.message()).contains("(the only market-region over it;"));
    // At 139 ms the two routes into London from abroad (17 and 21 ms) break it.
    String two = replaceOnce(repositoryYaml, "latencySloMillis: 150", "latencySloMillis: 139");
    assertThat(loader.parse("edge.yaml", two).warnings())
        .singleElement()
        .satisfies(
            w -> assertThat(w.message()).contains("(over it: IE on eu-west-2, DE on eu-west-2;"));
  }

  @Test
  void rejectsEventsForUnknownMarketsOrWithoutAZone() {
    String yaml =
        replaceOnce(repositoryYaml, "start: 2026-12-26T17:30:00Z", "start: 2026-12-26 17:30");
    yaml = replaceOnce(yaml, "market: GB\n    start", "market: FR\n    start");

    assertThat(problemsOf(yaml))
        .extracting(ConfigProblem::path)
        .containsExactly("events[0].start", "events[2].market");
  }

  @Test
  void rejectsWeightsForRegionsThatDoNotServeTheMarket() {
    String yaml =
        replaceOnce(repositoryYaml, "eu-west-2: 55", "eu-west-2: 55\n    eu-central-1: 10");

    assertThat(problemsOf(yaml))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.toString())
                    .contains(
                        "routing.initialWeights.eu-central-1: region 'eu-central-1'"
                            + " does not serve IE"));
  }

  @Test
  void aZoneIdCopiedWithItsPrefixIsRejected_sayingWhatToDrop() {
    String yaml =
        replaceOnce(
            repositoryYaml,
            "hostedZoneId: Z04LIFFEYEXAMPLE00001",
            "hostedZoneId: /hostedzone/Z04LIFFEYEXAMPLE00001");

    assertThat(problemsOf(yaml))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("routing.hostedZoneId");
              assertThat(p.hint())
                  .isEqualTo("drop the /hostedzone/ prefix: the id is what follows it");
            });
  }

  @Test
  void aMissingFileIsOneProblem_namingTheFlagToFixIt() {
    var e =
        catchThrowableOfType(
            InvalidConfigException.class, () -> loader.load(Path.of("no-such.yaml")));

    assertThat(e.problems())
        .singleElement()
        .hasToString(
            "no-such.yaml: file not found (hint: pass --config with the path to your edge-regions.yaml)");
  }

  @Test
  @Timeout(5)
  void aDeviceANamedPipeOrADirectoryIsRefusedAtOnce_neverReadNorWaitedOn(@TempDir Path dir)
      throws Exception {
    Path pipe = dir.resolve("edge-regions.yaml");
    Assumptions.assumeTrue(
        new ProcessBuilder("mkfifo", pipe.toString()).start().waitFor() == 0, "mkfifo works here");

    assertThat(loadProblem(Path.of("/dev/zero")))
        .isEqualTo(
            "/dev/zero: not a regular file (a device, named pipe or"
                + " socket) (hint: pass --config with the path to your edge-regions.yaml)");
    assertThat(loadProblem(pipe))
        .isEqualTo(
            pipe
                + ": not a regular file (a device, named pipe or socket) (hint: pass"
                + " --config with the path to your edge-regions.yaml)");
    assertThat(loadProblem(dir))
        .isEqualTo(
            dir
                + ": not a regular file (a directory) (hint: pass --config with the"
                + " path to your edge-regions.yaml)");
  }

  @Test
  void aFileOverTheSizeLimitIsRefused_sayingHowBigItIsAndTheLimit(@TempDir Path dir)
      throws Exception {
    Path big = dir.resolve("big.yaml");
    Files.writeString(big, repositoryYaml + "#".repeat((int) EdgeConfigLoader.MAX_FILE_BYTES));

    assertThat(loadProblem(big))
        .isEqualTo(
            big
                + ": the file is 1.0 MiB, more than the 1 MiB allowed (hint: a"
                + " configuration is YAML text of at most 1 MiB (the repository's is a few KiB): check that --config names"
                + " edge-regions.yaml, not a log or an archive)");
  }

  @Test
  void aFileThatIsNotUtf8IsOneProblem(@TempDir Path dir) throws Exception {
    Path latin1 = dir.resolve("latin1.yaml");
    Files.write(
        latin1, "stackPrefix: Caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

    assertThat(loadProblem(latin1))
        .isEqualTo(
            latin1
                + ": not UTF-8 text (hint: a configuration is YAML text in UTF-8,"
                + " and this is not: check that --config names edge-regions.yaml, not a binary; if it is, save it as UTF-8)");
  }

  private String loadProblem(Path file) {
    var e = catchThrowableOfType(InvalidConfigException.class, () -> loader.load(file));
    assertThat(e).as("%s is refused", file).isNotNull();
    assertThat(e.problems()).hasSize(1);
    return e.problems().get(0).toString();
  }

  @Test
  void anEmptyOrScalarDocumentIsRejected() {
    assertThatThrownBy(() -> loader.parse("e.yaml", ""))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("the file is empty");
    assertThat(problemsOf("just text"))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).startsWith("expected a mapping"));
  }

  @Test
  void duplicateKeysAreRejected() {
    String yaml =
        replaceOnce(repositoryYaml, "  tickSeconds: 10\n", "  tickSeconds: 10\n  tickSeconds: 5\n");

    assertThat(problemsOf(yaml))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("scaling.tickSeconds");
              assertThat(p.message()).isEqualTo("'tickSeconds' appears twice");
            });
  }
}
