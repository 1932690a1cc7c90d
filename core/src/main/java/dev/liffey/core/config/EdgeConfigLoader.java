package dev.liffey.core.config;

import dev.liffey.core.config.Market.ServedBy;
import dev.liffey.core.config.Routing.HealthCheck;
import dev.liffey.core.config.ServiceFleet.ResourceQuota;
import dev.liffey.core.io.TextFile;
import dev.liffey.core.latency.LatencyModel;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads {@code edge-regions.yaml} into an {@link EdgeConfig}. Reports every problem at once, each
 * with file, line, column, path and a hint; unknown keys are errors. Stateless and thread-safe.
 */
public final class EdgeConfigLoader {
  /** The file's name at the top of the repository. */
  public static final String DEFAULT_FILE = "edge-regions.yaml";

  /**
   * The largest file read: a hundred times the repository's (11 KB); anything bigger is the wrong
   * file.
   */
  public static final long MAX_FILE_BYTES = 1024 * 1024;

  private static final Pattern REGION_ID = Pattern.compile("[a-z]{2}-[a-z]+-\\d");
  private static final Pattern INSTANCE_TYPE = Pattern.compile("[a-z][a-z0-9-]*\\.[a-z0-9]+");
  private static final Pattern MARKET_CODE = Pattern.compile("[A-Z]{2}");
  private static final Pattern DNS_NAME =
      Pattern.compile("(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");

  /** AWS's zone ids start with Z; emulators' are other upper-case letters and digits. */
  private static final Pattern ZONE_ID = Pattern.compile("[A-Z0-9]{1,32}");

  private static final Pattern CIDR =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");
  private static final Pattern K8S_NAME = Pattern.compile("[a-z]([a-z0-9-]{0,30}[a-z0-9])?");
  private static final Pattern K8S_VERSION = Pattern.compile("1\\.\\d{2}");
  private static final Pattern TABLE_NAME = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");
  private static final Pattern STACK_PREFIX = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,31}");
  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
  private static final Pattern TAG_KEY = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,128}");

  // Boot times faster than AWS can deliver make pre-warm late by construction; refuse them.
  private static final Duration RELAY_MIN_COLD = Duration.ofSeconds(90);
  private static final Duration RELAY_MIN_WARM = Duration.ofSeconds(30);
  private static final Duration GPU_MIN_COLD = Duration.ofSeconds(240);
  private static final Duration GPU_MIN_WARM = Duration.ofSeconds(45);

  private final Clock clock;

  public EdgeConfigLoader() {
    this(Clock.systemUTC());
  }

  /**
   * @param clock decides which known events have already ended
   */
  public EdgeConfigLoader(Clock clock) {
    this.clock = clock;
  }

  /**
   * Loads and validates a file; the file's name as given is what problems cite. Only a regular file
   * of at most {@link #MAX_FILE_BYTES} is read: a device, a named pipe or a huge file is one
   * problem at once.
   */
  public LoadedConfig load(Path file) throws InvalidConfigException {
    String text;
    try {
      text = TextFile.read(file, MAX_FILE_BYTES);
    } catch (TextFile.Unreadable e) {
      throw new InvalidConfigException(
          file.toString(),
          List.of(new ConfigProblem(file.toString(), 0, 0, "", e.getMessage(), hint(e.kind()))));
    }
    return parse(file.toString(), text);
  }

  /** What to do about a file that could not be read as a configuration, true to why. */
  private static String hint(TextFile.Unreadable.Kind kind) {
    return switch (kind) {
      case MISSING, NOT_A_FILE -> "pass --config with the path to your edge-regions.yaml";
      case UNREADABLE -> "let this user read it, or pass --config with a copy it can read";
      case TOO_LARGE ->
          "a configuration is YAML text of at most "
              + MAX_FILE_BYTES / (1024 * 1024)
              + " MiB (the"
              + " repository's is a few KiB): check that --config names edge-regions.yaml, not a log or an archive";
      case NOT_TEXT ->
          "a configuration is YAML text in UTF-8, and this is not: check that --config names"
              + " edge-regions.yaml, not a binary; if it is, save it as UTF-8";
    };
  }

  /** Parses and validates YAML text; {@code source} names it in problems. */
  public LoadedConfig parse(String source, String yaml) throws InvalidConfigException {
    Problems problems = new Problems(source);
    Node root;
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      options.setMaxAliasesForCollections(20);
      root = new Yaml(options).compose(new StringReader(yaml));
    } catch (MarkedYAMLException e) {
      var mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
      problems.error(
          mark,
          "",
          "YAML syntax error: " + what,
          "check the indentation and quoting around this line");
      throw new InvalidConfigException(source, problems.errors());
    } catch (YAMLException e) {
      problems.error("", "YAML error: " + e.getMessage(), "");
      throw new InvalidConfigException(source, problems.errors());
    }
    if (root == null) {
      problems.error(
          "", "the file is empty", "start from the edge-regions.yaml at the top of the repository");
      throw new InvalidConfigException(source, problems.errors());
    }
    Optional<EdgeConfig> config =
        YamlMapping.of(problems, "", root).map(m -> new Reading(problems, clock).root(m));
    if (problems.hasErrors() || config.isEmpty()) {
      throw new InvalidConfigException(source, problems.errors());
    }
    return new LoadedConfig(config.get(), problems.warnings());
  }

  /** One pass over one document. */
  private static final class Reading {
    private final Problems p;
    private final Clock clock;

    Reading(Problems problems, Clock clock) {
      this.p = problems;
      this.clock = clock;
    }

    EdgeConfig root(YamlMapping m) {
      m.integer("version", true, 1, 1, "this Liffey reads version: 1");
      String prefix =
          m.matching(
                  "stackPrefix",
                  false,
                  STACK_PREFIX,
                  "a stack name prefix (letters and digits)",
                  "like Liffey")
              .orElse("Liffey");
      Optional<String> account =
          m.matching(
              "account",
              false,
              ACCOUNT,
              "a 12-digit AWS account id",
              "quote it, like account: \"123456789012\", or leave it out to use CDK_DEFAULT_ACCOUNT");
      Optional<String> primary =
          m.matching(
              "primaryRegion",
              true,
              REGION_ID,
              "an AWS region id",
              "like primaryRegion: eu-west-1");
      Map<String, String> tags = tags(m);

      List<Region> regions = new ArrayList<>();
      for (YamlMapping.Item item : m.sequence("regions", true, true, "list at least one region")) {
        YamlMapping.of(p, item.path(), item.node()).map(this::region).ifPresent(regions::add);
      }
      checkRegions(regions);
      Set<String> regionIds = new HashSet<>();
      regions.forEach(r -> regionIds.add(r.id()));
      primary.ifPresent(id -> requireRegion(regionIds, "primaryRegion", id));

      List<Market> markets = new ArrayList<>();
      for (YamlMapping.Item item :
          m.sequence("markets", true, true, "list at least one market, like IE")) {
        YamlMapping.of(p, item.path(), item.node())
            .map(x -> market(x, regionIds))
            .ifPresent(markets::add);
      }
      duplicates(markets, Market::code, "markets", "market");

      Routing routing = m.mapping("routing", true).map(x -> routing(x, markets)).orElse(null);
      Scaling scaling = m.mapping("scaling", true).map(this::scaling).orElse(null);
      Media media = m.mapping("media", false).map(this::media).orElseGet(Media::defaults);
      if (scaling != null) {
        sloWithinTarget(scaling, media, markets);
      }
      Control control =
          m.mapping("control", false)
              .map(x -> control(x, regionIds, primary.orElse("")))
              .orElseGet(() -> defaultControl(regionIds, primary.orElse("")));
      Autoscaler autoscaler =
          m.mapping("autoscaler", true).map(x -> autoscaler(x, scaling)).orElse(null);

      List<KnownEvent> events = new ArrayList<>();
      Set<String> marketCodes = new HashSet<>();
      markets.forEach(x -> marketCodes.add(x.code()));
      for (YamlMapping.Item item : m.sequence("events", false, false, "")) {
        YamlMapping.of(p, item.path(), item.node())
            .flatMap(x -> event(x, marketCodes))
            .ifPresent(
                e -> {
                  events.add(e);
                  beyondReach(item.path(), e, markets, regions);
                });
      }
      m.rejectUnknownKeys();
      return new EdgeConfig(
          1,
          prefix,
          account,
          primary.orElse(""),
          tags,
          List.copyOf(regions),
          List.copyOf(markets),
          routing,
          scaling,
          media,
          control,
          autoscaler,
          List.copyOf(events));
    }

    private Map<String, String> tags(YamlMapping m) {
      Map<String, String> tags = new LinkedHashMap<>();
      m.mapping("tags", false)
          .ifPresent(
              t -> {
                for (String key : t.keys()) {
                  if (!TAG_KEY.matcher(key).matches()
                      || key.startsWith("aws:")
                      || key.startsWith("liffey:")) {
                    p.error(
                        t.child(key),
                        "'" + key + "' cannot be a tag key",
                        "tag keys are 1-128 characters and may not start with aws: or liffey: (Liffey's own)");
                    t.has(key);
                    continue;
                  }
                  t.string(key, true, "").ifPresent(v -> tags.put(key, v));
                }
                t.rejectUnknownKeys();
              });
      return tags;
    }

    private Region region(YamlMapping m) {
      String id =
          m.matching("id", true, REGION_ID, "an AWS region id", "like id: eu-west-2").orElse("");
      if (!id.isEmpty() && !id.startsWith("eu-")) {
        p.error(
            m.child("id"),
            "'" + id + "' is not an EU/UK region",
            "Liffey's edge serves Europe: use an eu-* region (eu-west-1 Dublin, eu-west-2 London, ...)");
      }
      String city = m.string("city", true, "name the city, like city: Dublin").orElse("");
      List<String> azs =
          m.strings("availabilityZones", true, true, "list three zones, like " + id + "a");
      Set<String> distinct = new HashSet<>(azs);
      if (distinct.size() != azs.size()) {
        p.error(m.child("availabilityZones"), "lists a zone twice", "name each zone once");
      }
      if (!azs.isEmpty() && distinct.size() < 3) {
        p.error(
            m.child("availabilityZones"),
            "names " + distinct.size() + " zones; Liffey needs three",
            "list three zones, like " + id + "a, " + id + "b, " + id + "c");
      }
      for (int i = 0; i < azs.size(); i++) {
        String az = azs.get(i);
        if (!id.isEmpty()
            && !(az.startsWith(id)
                && az.length() == id.length() + 1
                && Character.isLowerCase(az.charAt(id.length())))) {
          p.error(
              m.child("availabilityZones") + "[" + i + "]",
              "'" + az + "' is not a zone of " + id,
              "zones are the region id and a letter, like " + id + "a");
        }
      }
      String cidr = m.string("vpcCidr", true, "like vpcCidr: 10.10.0.0/16").orElse("");
      if (!cidr.isEmpty() && parseCidr(cidr).isEmpty()) {
        p.error(
            m.child("vpcCidr"),
            "'" + cidr + "' is not an IPv4 block from /16 to /20",
            "like 10.10.0.0/16, with the host bits zero");
      }
      int nat =
          m.integer("natGateways", false, 1, 3, "one per zone survives a zone failure").orElse(3);
      // The dearest AWS region lists internet egress near 0.15 USD/GB; a figure above 1 is a unit
      // slip.
      double egress =
          m.decimal(
                  "egressUsdPerGb",
                  true,
                  0,
                  1,
                  true,
                  "AWS's price of data transfer out to the internet from this region, in USD per GB, above 0 and at most 1:"
                      + " the first-10-TB-a-month tier, like egressUsdPerGb: 0.09")
              .orElse(0.0);
      RelayFleet relay = m.mapping("relay", true).map(this::relay).orElse(null);
      List<TranscodePool> transcode = new ArrayList<>();
      List<YamlMapping.Item> pools =
          m.sequence(
              "transcode",
              true,
              true,
              "list GPU types in order of preference, an AV1-capable one (g6, NVIDIA L4) first");
      for (YamlMapping.Item item : pools) {
        YamlMapping.of(p, item.path(), item.node())
            .map(this::transcodePool)
            .ifPresent(transcode::add);
      }
      duplicates(transcode, t -> t.sizing().instanceType(), m.child("transcode"), "instance type");
      if (!transcode.isEmpty() && !transcode.get(0).encodes().contains(VideoCodec.AV1)) {
        p.error(
            m.child("transcode") + "[0].encodes",
            "the first transcode type cannot encode AV1",
            "put an AV1-capable type (g6, NVIDIA L4) first; A10G and T4 encode H.265 only");
      }
      EksCluster eks = m.mapping("eks", true).map(this::eks).orElse(null);
      m.rejectUnknownKeys();
      return new Region(
          id, city, List.copyOf(azs), cidr, nat, egress, relay, List.copyOf(transcode), eks);
    }

    private RelayFleet relay(YamlMapping m) {
      InstanceSizing sizing = sizing(m, RELAY_MIN_COLD, RELAY_MIN_WARM, "relay");
      int viewers =
          m.integer(
                  "viewersPerInstance",
                  true,
                  1,
                  100_000,
                  "concurrent viewers one relay serves at full utilization, like 1500")
              .orElse(0);
      Duration drain =
          m.seconds(
                  "drainSeconds",
                  false,
                  30,
                  7200,
                  "how long a terminating relay keeps its viewers while they leave, 30-7200")
              .orElse(RelayFleet.DEFAULT_DRAIN);
      double reconnecting =
          m.decimal(
                  "reconnectingPlayers",
                  false,
                  0,
                  1,
                  false,
                  "the share of viewers whose players follow a relay's WHEP reconnect event, 0 to 1:"
                      + " 1 where every viewer uses your own player, 0 (the default) where none do")
              .orElse(0.0);
      m.rejectUnknownKeys();
      return new RelayFleet(sizing, viewers, drain, reconnecting);
    }

    private TranscodePool transcodePool(YamlMapping m) {
      InstanceSizing sizing = sizing(m, GPU_MIN_COLD, GPU_MIN_WARM, "GPU");
      String gpu = m.string("gpu", true, "the accelerator, like gpu: L4").orElse("");
      Set<VideoCodec> encodes = EnumSet.noneOf(VideoCodec.class);
      List<String> codecs = m.strings("encodes", true, true, "like encodes: [av1, hevc, h264]");
      for (int i = 0; i < codecs.size(); i++) {
        String codec = codecs.get(i);
        Optional<VideoCodec> c = VideoCodec.fromYaml(codec);
        if (c.isEmpty()) {
          p.error(
              m.child("encodes") + "[" + i + "]",
              "unknown codec '" + codec + "'",
              "use av1, hevc or h264");
        }
        c.ifPresent(encodes::add);
      }
      int streams =
          m.integer(
                  "streamsPerInstance",
                  true,
                  1,
                  1000,
                  "live streams (full ABR ladders) one instance transcodes, like 8")
              .orElse(0);
      m.rejectUnknownKeys();
      return new TranscodePool(
          sizing, gpu, encodes.isEmpty() ? Set.of() : Set.copyOf(encodes), streams);
    }

    private InstanceSizing sizing(YamlMapping m, Duration minCold, Duration minWarm, String kind) {
      String type =
          m.matching(
                  "instanceType",
                  true,
                  INSTANCE_TYPE,
                  "an EC2 instance type",
                  "like instanceType: c6in.2xlarge")
              .orElse("");
      Optional<Integer> min =
          m.integer("minInstances", true, 0, 10_000, "the group's floor, 0 or more");
      Optional<Integer> max = m.integer("maxInstances", true, 1, 10_000, "the group's ceiling");
      Optional<Integer> warm =
          m.integer("warmPoolSize", true, 0, 10_000, "stopped instances kept ready, 0 for none");
      Optional<Duration> cold =
          m.seconds("coldBootSeconds", true, 1, 3600, "launch to in service, in seconds");
      Optional<Duration> warmBoot =
          m.seconds("warmBootSeconds", true, 1, 3600, "warm pool to in service, in seconds");
      Optional<Double> price =
          m.decimal(
              "hourlyPriceUsd",
              true,
              0,
              1000,
              true,
              "the on-demand list price in this region, above 0");
      Optional<Double> warmPrice =
          m.decimal(
              "warmHourlyPriceUsd",
              true,
              0,
              1000,
              false,
              "what a stopped instance costs per hour (its EBS volumes)");
      if (min.isPresent() && max.isPresent() && min.get() > max.get()) {
        p.error(
            m.child("minInstances"),
            "minInstances " + min.get() + " is above maxInstances " + max.get(),
            "lower minInstances or raise maxInstances");
      }
      if (warm.isPresent() && max.isPresent() && warm.get() > max.get()) {
        p.error(
            m.child("warmPoolSize"),
            "warmPoolSize " + warm.get() + " is above maxInstances " + max.get(),
            "a warm pool larger than the group can never be used; lower it");
      }
      cold.filter(c -> c.compareTo(minCold) < 0)
          .ifPresent(
              c ->
                  p.error(
                      m.child("coldBootSeconds"),
                      c.toSeconds() + " s is faster than a " + kind + " instance boots on EC2",
                      "use at least "
                          + minCold.toSeconds()
                          + " s; a flattering boot time makes every pre-warm late"));
      warmBoot
          .filter(w -> w.compareTo(minWarm) < 0)
          .ifPresent(
              w ->
                  p.error(
                      m.child("warmBootSeconds"),
                      w.toSeconds()
                          + " s is faster than a "
                          + kind
                          + " instance resumes from a warm pool",
                      "use at least " + minWarm.toSeconds() + " s"));
      if (cold.isPresent() && warmBoot.isPresent() && warmBoot.get().compareTo(cold.get()) > 0) {
        p.error(
            m.child("warmBootSeconds"),
            "a warm boot ("
                + warmBoot.get().toSeconds()
                + " s) cannot be slower than a cold one ("
                + cold.get().toSeconds()
                + " s)",
            "swap or fix them");
      }
      if (price.isPresent() && warmPrice.isPresent() && warmPrice.get() >= price.get()) {
        p.error(
            m.child("warmHourlyPriceUsd"),
            "a stopped instance ("
                + warmPrice.get()
                + " USD/h) cannot cost as much as a running one ("
                + price.get()
                + " USD/h)",
            "a stopped instance pays only its EBS volumes: about 0.005-0.02 USD/h");
      }
      return new InstanceSizing(
          type,
          min.orElse(0),
          max.orElse(0),
          warm.orElse(0),
          cold.orElse(Duration.ZERO),
          warmBoot.orElse(Duration.ZERO),
          price.orElse(0.0),
          warmPrice.orElse(0.0));
    }

    private EksCluster eks(YamlMapping m) {
      String version =
          m.matching(
                  "kubernetesVersion",
                  true,
                  K8S_VERSION,
                  "a Kubernetes minor version",
                  "quote it, like kubernetesVersion: \"1.33\"")
              .orElse("");
      List<String> types =
          m.strings("nodeInstanceTypes", true, true, "like [m7i.xlarge, m6i.xlarge]");
      for (int i = 0; i < types.size(); i++) {
        if (!INSTANCE_TYPE.matcher(types.get(i)).matches()) {
          p.error(
              m.child("nodeInstanceTypes") + "[" + i + "]",
              "'" + types.get(i) + "' is not an EC2 instance type",
              "like m7i.xlarge");
        }
      }
      Optional<Integer> min = m.integer("minNodes", true, 1, 1000, "at least 1");
      Optional<Integer> max = m.integer("maxNodes", true, 1, 1000, "the node group's ceiling");
      if (min.isPresent() && max.isPresent() && min.get() > max.get()) {
        p.error(
            m.child("minNodes"),
            "minNodes " + min.get() + " is above maxNodes " + max.get(),
            "lower minNodes or raise maxNodes");
      }
      // Node launch to Ready: EKS Auto Mode (Karpenter) takes about 45-60 s; EC2 cannot do it in
      // under 30, and a plan that counted on it would be late by construction.
      Duration nodeStartup =
          m.seconds(
                  "nodeStartupSeconds",
                  false,
                  30,
                  900,
                  "how long a new node takes from a pending pod to Ready, in seconds, at least 30:"
                      + " about 45-60 with EKS Auto Mode, like nodeStartupSeconds: 60")
              .orElse(EksCluster.DEFAULT_NODE_STARTUP);
      int replicasPerNode =
          m.integer(
                  "replicasPerNode",
                  false,
                  1,
                  250,
                  "how many service replicas one node runs (its allocatable CPU over a replica's"
                      + " request), like replicasPerNode: 4")
              .orElse(EksCluster.DEFAULT_REPLICAS_PER_NODE);
      List<ServiceFleet> services = new ArrayList<>();
      m.mapping("services", true)
          .ifPresent(
              s -> {
                if (s.keys().isEmpty()) {
                  p.error(s.path(), "no services", "list chat, wallet and game");
                }
                for (String name : List.copyOf(s.keys())) {
                  if (!K8S_NAME.matcher(name).matches()) {
                    p.error(
                        s.child(name),
                        "'" + name + "' cannot name a Kubernetes namespace",
                        "use lower-case letters, digits and '-', like chat");
                  }
                  s.mapping(name, true).map(x -> service(name, x)).ifPresent(services::add);
                }
                distinctPriorities(services, s);
                s.rejectUnknownKeys();
              });
      m.rejectUnknownKeys();
      return new EksCluster(
          version,
          List.copyOf(types),
          min.orElse(0),
          max.orElse(0),
          nodeStartup,
          replicasPerNode,
          List.copyOf(services));
    }

    /**
     * Two services of one cluster with the same priority could not be told apart when nodes are
     * full: which of them waits first would be left to chance.
     */
    private void distinctPriorities(List<ServiceFleet> services, YamlMapping s) {
      Map<Integer, String> first = new HashMap<>();
      for (ServiceFleet service : services) {
        if (service.priority() == 0) {
          continue; // missing or invalid: reported already
        }
        String before = first.putIfAbsent(service.priority(), service.name());
        if (before != null) {
          p.error(
              s.child(service.name()) + ".priority",
              "priority " + service.priority() + " is also " + before + "'s",
              "give each service its own priority, the one that must never wait highest (wallet,"
                  + " then game, then chat)");
        }
      }
    }

    private ServiceFleet service(String name, YamlMapping m) {
      int viewers =
          m.integer("viewersPerReplica", true, 1, 1_000_000, "viewers one replica serves")
              .orElse(0);
      Optional<Integer> min = m.integer("minReplicas", true, 0, 10_000, "the floor");
      Optional<Integer> max = m.integer("maxReplicas", true, 1, 10_000, "the ceiling");
      if (min.isPresent() && max.isPresent() && min.get() > max.get()) {
        p.error(
            m.child("minReplicas"),
            "minReplicas " + min.get() + " is above maxReplicas " + max.get(),
            "lower minReplicas or raise maxReplicas");
      }
      Duration startup =
          m.seconds("startupSeconds", true, 1, 3600, "schedule to ready, in seconds")
              .orElse(Duration.ZERO);
      double price =
          m.decimal(
                  "hourlyPriceUsd", true, 0, 1000, true, "one replica's share of its node's price")
              .orElse(0.0);
      ResourceQuota quota =
          m.mapping("quota", true)
              .map(
                  q -> {
                    int cpu =
                        q.integer("cpu", true, 1, 100_000, "cores the namespace may request")
                            .orElse(0);
                    int mem =
                        q.integer("memoryGiB", true, 1, 1_000_000, "GiB the namespace may request")
                            .orElse(0);
                    int pods =
                        q.integer("pods", true, 1, 100_000, "pods the namespace may run").orElse(0);
                    q.rejectUnknownKeys();
                    return new ResourceQuota(cpu, mem, pods);
                  })
              .orElse(null);
      if (quota != null && max.isPresent() && quota.pods() < max.get()) {
        p.error(
            m.child("quota") + ".pods",
            "quota.pods " + quota.pods() + " is below maxReplicas " + max.get(),
            "raise quota.pods to at least maxReplicas, or the quota caps scale-out");
      }
      int pdb =
          m.integer(
                  "minAvailablePercent", true, 0, 100, "replicas kept up during node drains, 0-100")
              .orElse(0);
      int priority =
          m.integer(
                  "priority",
                  true,
                  1,
                  ServiceFleet.MAX_PRIORITY,
                  "the value of its PriorityClass liffey-"
                      + name
                      + ", 1 to "
                      + ServiceFleet.MAX_PRIORITY
                      + ", distinct per region: when nodes are full the lowest waits first, so give"
                      + " wallet the highest, like priority: 1000")
              .orElse(0);
      boolean room =
          m.bool(
                  "roomForRelayWarmPool",
                  false,
                  "true keeps replicas for the viewers the region's relay warm pool can admit"
                      + " (a surge reaches the relays in a warm boot, before a new node could start"
                      + " a replica); false, the default, does not pay for them")
              .orElse(false);
      m.rejectUnknownKeys();
      return new ServiceFleet(
          name, viewers, min.orElse(0), max.orElse(0), startup, price, quota, pdb, priority, room);
    }

    private void checkRegions(List<Region> regions) {
      duplicates(regions, Region::id, "regions", "region");
      Map<String, long[]> blocks = new LinkedHashMap<>();
      for (int i = 0; i < regions.size(); i++) {
        Region r = regions.get(i);
        Optional<long[]> block = parseCidr(r.vpcCidr());
        if (block.isEmpty()) {
          continue;
        }
        for (Map.Entry<String, long[]> other : blocks.entrySet()) {
          long[] a = block.get();
          long[] b = other.getValue();
          if (a[0] <= b[1] && b[0] <= a[1]) {
            p.error(
                "regions[" + i + "].vpcCidr",
                r.vpcCidr() + " overlaps " + other.getKey() + "'s block",
                "give each region its own block so the VPCs can be peered");
          }
        }
        blocks.put(r.id(), block.get());
      }
    }

    private Market market(YamlMapping m, Set<String> regionIds) {
      String code =
          m.matching(
                  "code", true, MARKET_CODE, "an ISO 3166-1 alpha-2 country code", "like code: IE")
              .orElse("");
      String name = m.string("name", true, "the country, like name: Ireland").orElse("");
      List<ServedBy> servedBy = new ArrayList<>();
      for (YamlMapping.Item item :
          m.sequence("servedBy", true, true, "list the regions that may serve " + code)) {
        YamlMapping.of(p, item.path(), item.node())
            .ifPresent(
                s -> {
                  String region = s.string("region", true, "like region: eu-west-1").orElse("");
                  if (!region.isEmpty()) {
                    requireRegion(regionIds, s.child("region"), region);
                  }
                  int latency =
                      s.integer(
                              "baseLatencyMillis",
                              true,
                              1,
                              1000,
                              "round trip from the market to the region, unloaded, in ms")
                          .orElse(0);
                  s.rejectUnknownKeys();
                  servedBy.add(new ServedBy(region, latency));
                });
      }
      duplicates(servedBy, ServedBy::regionId, m.child("servedBy"), "region");
      m.rejectUnknownKeys();
      return new Market(code, name, List.copyOf(servedBy));
    }

    private Routing routing(YamlMapping m, List<Market> markets) {
      String marketCode =
          m.string("market", true, "the market routed by weight, like market: IE").orElse("");
      Optional<Market> market =
          markets.stream().filter(x -> x.code().equals(marketCode)).findFirst();
      if (!marketCode.isEmpty() && market.isEmpty()) {
        p.error(
            m.child("market"),
            "no market '" + marketCode + "' in markets",
            "add it under markets or fix the code");
      }
      String zone =
          m.matching(
                  "hostedZone",
                  true,
                  DNS_NAME,
                  "a DNS zone name",
                  "like hostedZone: liffey.example.net")
              .orElse("");
      String zoneHint =
          "copy it from 'aws route53 list-hosted-zones-by-name', like Z0123456789ABCDEFGHIJ";
      if (m.string("hostedZoneId", false, "")
          .filter(z -> z.startsWith("/hostedzone/"))
          .isPresent()) {
        zoneHint = "drop the /hostedzone/ prefix: the id is what follows it";
      }
      String zoneId =
          m.matching("hostedZoneId", true, ZONE_ID, "a Route 53 hosted zone id", zoneHint)
              .orElse("");
      String entry = name(m, "entryName", zone);
      String record = name(m, "recordName", zone);
      if (!entry.isEmpty() && entry.equals(record)) {
        p.error(
            m.child("recordName"),
            "recordName must differ from entryName",
            "entryName holds the geolocation records, recordName the weighted set they point Ireland at");
      }
      int ttl =
          m.integer(
                  "ttlSeconds", true, 1, 86_400, "TTL of the routing records; 60 keeps shifts fast")
              .orElse(60);
      int shift =
          m.integer(
                  "maxWeightShiftPerMinute", true, 1, 255, "the most a weight moves in one minute")
              .orElse(0);
      Map<String, Integer> weights = new LinkedHashMap<>();
      m.mapping("initialWeights", true)
          .ifPresent(
              w -> {
                Set<String> candidates = new HashSet<>();
                market.ifPresent(x -> x.servedBy().forEach(s -> candidates.add(s.regionId())));
                for (String region : List.copyOf(w.keys())) {
                  w.integer(region, true, 0, 255, "Route 53 weights are 0-255")
                      .ifPresent(v -> weights.put(region, v));
                  if (market.isPresent() && !candidates.contains(region)) {
                    p.error(
                        w.child(region),
                        "region '" + region + "' does not serve " + marketCode,
                        "weights go to "
                            + marketCode
                            + "'s servedBy regions: "
                            + String.join(", ", candidates));
                  }
                }
                if (market.isPresent() && market.get().servedBy().size() < 2) {
                  p.error(
                      m.child("market"),
                      marketCode + " has one region; weighted routing needs two or more",
                      "add a second region to " + marketCode + "'s servedBy");
                }
                market.ifPresent(
                    x ->
                        x.servedBy()
                            .forEach(
                                s -> {
                                  if (!weights.containsKey(s.regionId())
                                      && !w.keys().contains(s.regionId())) {
                                    p.error(
                                        w.path(),
                                        "no weight for " + s.regionId(),
                                        "give every region serving " + marketCode + " a weight");
                                  }
                                }));
                if (!weights.isEmpty() && weights.values().stream().allMatch(v -> v == 0)) {
                  p.error(
                      w.path(),
                      "every weight is 0",
                      "Route 53 then answers evenly; give the preferred region a weight");
                }
              });
      HealthCheck health =
          m.mapping("healthCheck", true)
              .map(
                  h -> {
                    String path = h.string("path", true, "like path: /health").orElse("/");
                    if (!path.startsWith("/")) {
                      p.error(
                          h.child("path"),
                          "'" + path + "' is not a URL path",
                          "start it with /, like /health");
                    }
                    int port =
                        h.integer("port", true, 1, 65_535, "the HTTPS port, like 443").orElse(443);
                    int interval =
                        h.integer(
                                "intervalSeconds", true, 10, 30, "Route 53 probes every 10 or 30 s")
                            .orElse(30);
                    if (interval != 10 && interval != 30) {
                      p.error(
                          h.child("intervalSeconds"),
                          interval + " is not an interval Route 53 offers",
                          "use 10 or 30");
                    }
                    int failures =
                        h.integer(
                                "failureThreshold",
                                true,
                                1,
                                10,
                                "failed probes before unhealthy, 1-10")
                            .orElse(3);
                    h.rejectUnknownKeys();
                    return new HealthCheck(path, port, interval, failures);
                  })
              .orElse(null);
      m.rejectUnknownKeys();
      return new Routing(
          marketCode, zone, zoneId, entry, record, ttl, shift, Map.copyOf(weights), health);
    }

    private String name(YamlMapping m, String key, String zone) {
      String value =
          m.matching(key, true, DNS_NAME, "a DNS name", "like " + key + ": edge." + zone)
              .orElse("");
      if (!value.isEmpty() && !zone.isEmpty() && !value.endsWith("." + zone)) {
        p.error(
            m.child(key),
            "'" + value + "' is not inside the hosted zone " + zone,
            "use a name ending in ." + zone);
      }
      return value;
    }

    private Scaling scaling(YamlMapping m) {
      Duration tick =
          m.seconds("tickSeconds", true, 1, 300, "how often the control loop runs, like 10")
              .orElse(Duration.ZERO);
      double target =
          m.decimal("targetUtilization", true, 0, 1, true, "a share in (0, 1], like 0.7")
              .orElse(0.0);
      double quantile =
          m.decimal(
                  "forecastQuantile",
                  true,
                  0.5,
                  0.999,
                  false,
                  "plan on an upper quantile of the forecast, 0.5-0.999, like 0.95")
              .orElse(0.0);
      Duration stabilization =
          m.seconds(
                  "scaleInStabilizationSeconds",
                  true,
                  0,
                  86_400,
                  "how long demand stays low before scale-in, like 600")
              .orElse(Duration.ZERO);
      int scaleIn =
          m.integer("maxScaleInPercentPerMinute", true, 1, 100, "1-100, like 10").orElse(0);
      Duration stale =
          m.seconds("staleAfterSeconds", true, 10, 3600, "like 60").orElse(Duration.ZERO);
      if (!tick.isZero() && !stale.isZero() && stale.compareTo(tick) < 0) {
        p.error(
            m.child("staleAfterSeconds"),
            "metrics go stale faster than the loop ticks ("
                + stale.toSeconds()
                + " s < "
                + tick.toSeconds()
                + " s)",
            "make staleAfterSeconds at least tickSeconds");
      }
      int slo =
          m.integer("latencySloMillis", true, 1, 10_000, "edge latency p95 target, in ms, like 150")
              .orElse(0);
      double budget =
          m.decimal(
                  "budgetUsdPerHour",
                  true,
                  0,
                  1_000_000,
                  true,
                  "the most all fleets may cost per hour")
              .orElse(0.0);
      int spare =
          m.integer(
                  "spareTranscodeSlots",
                  false,
                  0,
                  100,
                  "free ladder slots kept per region, 0 or more")
              .orElse(0);
      double surge =
          m.decimal(
                  "maxSurgeFactor",
                  false,
                  1,
                  1_000,
                  false,
                  "the most a surge is planned to grow over one boot horizon, 1-1000 times the"
                      + " demand seen, like maxSurgeFactor: 10")
              .orElse(Scaling.DEFAULT_MAX_SURGE_FACTOR);
      m.rejectUnknownKeys();
      return new Scaling(
          tick, target, quantile, stabilization, scaleIn, stale, slo, budget, spare, surge);
    }

    private Media media(YamlMapping m) {
      double bitrate =
          m.decimal(
                  "viewerBitrateMbps",
                  false,
                  0,
                  100,
                  true,
                  "the average bitrate one viewer receives, in Mbit/s, above 0 and at most 100, like viewerBitrateMbps: 2.5")
              .orElse(Media.DEFAULT_VIEWER_BITRATE_MBPS);
      double jitter =
          m.decimal(
                  "jitterMillis",
                  false,
                  0,
                  500,
                  false,
                  "the network's mean added delay above the base latency, in ms, 0-500, like jitterMillis: 7")
              .orElse(Media.DEFAULT_JITTER_MILLIS);
      m.rejectUnknownKeys();
      return new Media(bitrate, jitter);
    }

    private Control control(YamlMapping m, Set<String> regionIds, String primary) {
      String table =
          m.matching(
                  "tableName",
                  false,
                  TABLE_NAME,
                  "a DynamoDB table name",
                  "3-255 letters, digits, '_', '-' or '.'")
              .orElse("liffey-control");
      String replica =
          m.string("replicaRegion", false, "").orElse(defaultReplica(regionIds, primary));
      if (m.has("replicaRegion")) {
        requireRegion(regionIds, m.child("replicaRegion"), replica);
        if (replica.equals(primary)) {
          p.error(
              m.child("replicaRegion"),
              "the replica cannot be the primary region " + primary,
              "use the other region of the primary pair, like eu-west-2");
        }
      }
      Duration lastKnown =
          m.seconds(
                  "lastKnownStateSeconds",
                  false,
                  0,
                  86_400,
                  "how long the last state read stands in for an unreadable table, like 900")
              .orElse(Control.LAST_KNOWN_STATE);
      m.rejectUnknownKeys();
      return new Control(table, replica, lastKnown);
    }

    private Control defaultControl(Set<String> regionIds, String primary) {
      return new Control(
          "liffey-control", defaultReplica(regionIds, primary), Control.LAST_KNOWN_STATE);
    }

    private static String defaultReplica(Set<String> regionIds, String primary) {
      return regionIds.contains("eu-west-2") && !"eu-west-2".equals(primary)
          ? "eu-west-2"
          : regionIds.stream().filter(r -> !r.equals(primary)).sorted().findFirst().orElse(primary);
    }

    private Autoscaler autoscaler(YamlMapping m, Scaling scaling) {
      String image = m.string("image", true, "the daemon's container image").orElse("");
      int replicas = m.integer("replicas", false, 1, 10, "two: one leads, one stands by").orElse(2);
      String namespace =
          m.matching("namespace", false, K8S_NAME, "a Kubernetes namespace", "like liffey-system")
              .orElse("liffey-system");
      Duration lease =
          m.seconds(
                  "leaseSeconds",
                  false,
                  3,
                  300,
                  "how long a dead leader keeps the lease before a standby takes over, like 15")
              .orElse(Duration.ofSeconds(15));
      Duration renew = Autoscaler.renewDeadline(lease);
      Duration tick =
          scaling == null || scaling.tick().isZero() ? Duration.ofSeconds(10) : scaling.tick();
      // A tick must end before the lease could pass to another replica: within the renew deadline.
      Duration longest = tick.compareTo(renew) < 0 ? tick : renew;
      Duration deadline =
          m.seconds(
                  "tickDeadlineSeconds",
                  false,
                  1,
                  300,
                  "how long one tick may take, below the tick and two thirds of leaseSeconds, like 8")
              .orElse(Duration.ofMillis(longest.toMillis() * 4 / 5));
      if (m.has("tickDeadlineSeconds") && deadline.compareTo(longest) >= 0) {
        p.error(
            m.child("tickDeadlineSeconds"),
            "a tick of up to "
                + deadline.toSeconds()
                + " s could outlive "
                + (longest.equals(tick)
                    ? "scaling.tickSeconds (" + tick.toSeconds() + " s)"
                    : "the lease's renew deadline ("
                        + renew.toSeconds()
                        + " s, two thirds of leaseSeconds)"),
            "lower tickDeadlineSeconds below "
                + longest.toSeconds()
                + (longest.equals(tick) ? "" : " or raise leaseSeconds"));
      }
      m.rejectUnknownKeys();
      return new Autoscaler(image, replicas, namespace, lease, deadline);
    }

    private Optional<KnownEvent> event(YamlMapping m, Set<String> marketCodes) {
      String name = m.string("name", true, "say what it is, like name: Cup final").orElse("");
      String market = m.string("market", true, "where the viewers are, like market: IE").orElse("");
      if (!market.isEmpty() && !marketCodes.contains(market)) {
        p.error(
            m.child("market"),
            "no market '" + market + "' in markets",
            "use one of " + marketCodes);
      }
      Optional<Instant> start =
          m.string("start", true, "like start: 2026-12-05T20:00:00Z")
              .flatMap(
                  s -> {
                    try {
                      return Optional.of(OffsetDateTime.parse(s).toInstant());
                    } catch (DateTimeParseException e) {
                      p.error(
                          m.child("start"),
                          "'" + s + "' is not a date-time with a zone",
                          "write ISO-8601 with an offset, like 2026-12-05T20:00:00Z");
                      return Optional.empty();
                    }
                  });
      Optional<Duration> duration =
          m.integer("durationMinutes", true, 1, 7 * 24 * 60, "how long it lasts")
              .map(Duration::ofMinutes);
      int viewers =
          m.integer("expectedViewers", true, 1, 100_000_000, "the expected peak").orElse(0);
      Duration lead =
          m.integer(
                  "prewarmMinutes",
                  false,
                  0,
                  24 * 60,
                  "capacity in service this long before the start")
              .map(Duration::ofMinutes)
              .orElse(Duration.ofMinutes(15));
      m.rejectUnknownKeys();
      if (start.isEmpty() || duration.isEmpty()) {
        return Optional.empty();
      }
      KnownEvent event = new KnownEvent(name, market, start.get(), duration.get(), viewers, lead);
      if (event.end().isBefore(clock.instant())) {
        p.warning(
            m.path(),
            "event '" + name + "' ended at " + event.end(),
            "remove it; it no longer pre-warms");
      }
      return Optional.of(event);
    }

    /**
     * Warns when an event's audience exceeds what every relay of the regions serving its market
     * could carry at their maximum: the pre-warm will ask for more than the groups can ever run.
     */
    private void beyondReach(
        String path, KnownEvent event, List<Market> markets, List<Region> regions) {
      Optional<Market> market =
          markets.stream().filter(x -> x.code().equals(event.market())).findFirst();
      if (market.isEmpty()) {
        return;
      }
      long carry = 0;
      List<String> serving = new ArrayList<>();
      for (Market.ServedBy s : market.get().servedBy()) {
        for (Region r : regions) {
          if (r.id().equals(s.regionId()) && r.relay() != null && r.relay().sizing() != null) {
            carry += (long) r.relay().sizing().maxInstances() * r.relay().viewersPerInstance();
            serving.add(r.id());
          }
        }
      }
      if (!serving.isEmpty() && event.expectedViewers() > carry) {
        p.warning(
            path + ".expectedViewers",
            String.format(
                Locale.ROOT,
                "event '%s' expects %,d viewers, %,d more than"
                    + " the relays of %s can ever carry (%,d at their maxInstances)",
                event.name(),
                event.expectedViewers(),
                event.expectedViewers() - carry,
                String.join(" and ", serving),
                carry),
            "raise relay.maxInstances in "
                + String.join(", ", serving)
                + ", or lower expectedViewers");
      }
    }

    /**
     * Warns when busy relays break the SLO with no fault: a market's viewers on relays at {@code
     * targetUtilization} have a p95, by the relay model the simulator scores with ({@link
     * LatencyModel}: the base latency, an M/M/1 wait, the network's jitter), above {@code
     * latencySloMillis}. The router reads a region over the SLO as degraded and moves joins off it,
     * so such a region would be routed around for being as full as it was asked to be.
     */
    private void sloWithinTarget(Scaling scaling, Media media, List<Market> markets) {
      int slo = scaling.latencySloMillis();
      double target = scaling.targetUtilization();
      if (slo <= 0 || !(target > 0)) {
        return;
      }
      LatencyModel model = new LatencyModel(media.jitterMillis());
      List<String> over = new ArrayList<>();
      int pairs = 0;
      double worst = 0;
      String worstPair = "";
      int worstBase = 0;
      for (Market market : markets) {
        for (ServedBy s : market.servedBy()) {
          pairs++;
          double p95 = model.at(s.baseLatencyMillis(), target).p95Millis();
          if (p95 > slo) {
            over.add(market.code() + " on " + s.regionId());
            if (p95 > worst) {
              worst = p95;
              worstPair = market.code() + " viewers on " + s.regionId();
              worstBase = s.baseLatencyMillis();
            }
          }
        }
      }
      if (over.isEmpty()) {
        return;
      }
      // The busiest the relays may run with every market-region's p95 within the SLO, to 0.01:
      // the p95 grows with the base, so the worst route's decides.
      double fits = 0;
      for (int hundredths = (int) Math.floor(target * 100); hundredths > 0; hundredths--) {
        double u = hundredths / 100.0;
        if (model.at(worstBase, u).p95Millis() <= slo) {
          fits = u;
          break;
        }
      }
      String lower =
          fits > 0 ? String.format(Locale.ROOT, ", or lower targetUtilization to %.2f", fits) : "";
      p.warning(
          "scaling.latencySloMillis",
          String.format(
              Locale.ROOT,
              "at targetUtilization %.2f the relays' own queueing puts the p95 of %s at %.0f ms"
                  + " (base %d ms), above latencySloMillis %d, with no fault (%s; by the"
                  + " simulator's relay model: an M/M/1 wait of %.0f ms service plus"
                  + " media.jitterMillis %.0f ms): a region as full as it is asked to be counts its"
                  + " viewers slow, and the router may read it as degraded and move joins off it",
              target,
              worstPair,
              worst,
              worstBase,
              slo,
              (over.size() == pairs
                  ? "every market-region is"
                  : over.size() == 1
                      ? "the only market-region over it"
                      : "over it: " + String.join(", ", over)),
              LatencyModel.QUEUE_SCALE_MILLIS,
              media.jitterMillis()),
          String.format(
              Locale.ROOT, "raise latencySloMillis to at least %.0f%s", Math.ceil(worst), lower));
    }

    private void requireRegion(Set<String> regionIds, String path, String id) {
      if (!regionIds.contains(id)) {
        p.error(
            path,
            "no region '" + id + "' in regions",
            regionIds.isEmpty()
                ? "add it under regions"
                : "use one of " + String.join(", ", regionIds.stream().sorted().toList()));
      }
    }

    private <T> void duplicates(List<T> items, Function<T, String> key, String path, String what) {
      Map<String, Integer> first = new HashMap<>();
      for (int i = 0; i < items.size(); i++) {
        String k = key.apply(items.get(i));
        if (k.isEmpty()) {
          continue;
        }
        Integer before = first.putIfAbsent(k, i);
        if (before != null) {
          p.error(
              path + "[" + i + "]",
              what + " '" + k + "' is listed twice (first at " + path + "[" + before + "])",
              "keep one of them");
        }
      }
    }
  }

  /** [first, last] address of an IPv4 block from /16 to /20 with host bits zero, or empty. */
  static Optional<long[]> parseCidr(String cidr) {
    var m = CIDR.matcher(cidr);
    if (!m.matches()) {
      return Optional.empty();
    }
    long address = 0;
    for (int i = 1; i <= 4; i++) {
      int octet = Integer.parseInt(m.group(i));
      if (octet > 255) {
        return Optional.empty();
      }
      address = (address << 8) | octet;
    }
    int bits = Integer.parseInt(m.group(5));
    if (bits < 16 || bits > 20) {
      return Optional.empty();
    }
    long size = 1L << (32 - bits);
    if (address % size != 0) {
      return Optional.empty();
    }
    return Optional.of(new long[] {address, address + size - 1});
  }
}
