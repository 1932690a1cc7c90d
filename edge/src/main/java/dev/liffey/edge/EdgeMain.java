package dev.liffey.edge;

import dev.liffey.edge.admission.Admission;
import dev.liffey.edge.admission.RateLimits;
import dev.liffey.edge.admission.TokenKeys;
import dev.liffey.edge.admission.TokenVerifier;
import dev.liffey.edge.drain.AutoScalingLifecycle;
import dev.liffey.edge.drain.Drain;
import dev.liffey.edge.drain.LifecycleHookOptions;
import dev.liffey.edge.feeds.Feeds;
import dev.liffey.edge.feeds.Headroom;
import dev.liffey.edge.feeds.HostLoad;
import dev.liffey.edge.feeds.Transcoders;
import dev.liffey.edge.janus.JanusAdmin;
import dev.liffey.edge.janus.JanusApi;
import dev.liffey.edge.metrics.EdgePublisher;
import dev.liffey.edge.metrics.JoinCounts;
import dev.liffey.edge.packing.ControlTableRelays;
import dev.liffey.edge.packing.Packing;
import dev.liffey.edge.packing.RelayPresence;
import dev.liffey.edge.placement.ControlTableRegistry;
import dev.liffey.edge.viewers.Mountpoint;
import dev.liffey.edge.viewers.StreamDirectory;
import dev.liffey.edge.viewers.ViewerSessions;
import dev.liffey.edge.viewers.Viewers;
import dev.liffey.edge.whep.JoinRouter;
import dev.liffey.edge.whep.SessionEvents;
import dev.liffey.edge.whep.TurnCredentials;
import dev.liffey.edge.whep.ViewerIds;
import dev.liffey.edge.whep.WhepServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.imds.Ec2MetadataClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@code java -jar liffey-edge.jar}: the agent beside Janus on a relay. */
@Command(
    name = "liffey-edge",
    mixinStandardHelpOptions = true,
    versionProvider = EdgeMain.Version.class,
    sortOptions = false,
    usageHelpWidth = 100,
    description = {
      "Liffey's relay agent ('liffey-edge transcoder --help' for the transcoder's): admits WHEP viewers with tokens verified here, drives Janus's streaming"
          + " plugin for them, publishes Liffey/Edge metrics to CloudWatch and drains the relay on"
          + " its group's terminate lifecycle hook without dropping a viewer.",
      "AWS credentials and endpoints come from the default chain (AWS_ENDPOINT_URL,"
          + " AWS_EC2_METADATA_SERVICE_ENDPOINT)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped (SIGTERM)",
      "1:failed while running",
      "2:a bad flag or file: one line says which; nothing was started"
    })
public final class EdgeMain implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(EdgeMain.class);
  private static final Pattern STREAM = Pattern.compile("([A-Za-z0-9_.-]+)=(\\d+)(?::(.+))?");
  private static final Pattern MARKET = Pattern.compile("[A-Z]{2}");

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      defaultValue = "0.0.0.0:7080",
      description =
          "Where viewers reach WHEP and the load balancer /health (default: ${DEFAULT-VALUE}).")
  String listen;

  @Option(
      names = "--advertise",
      paramLabel = "HOST:PORT",
      description =
          "Where the other relays reach this agent, named in each viewer's WHEP URL so a PATCH or"
              + " DELETE the load balancer brings to another relay is passed here (default: the"
              + " instance's private IPv4 from IMDS and the --listen port; none with --no-aws).")
  String advertise;

  @Option(
      names = "--janus",
      paramLabel = "URL",
      defaultValue = "http://127.0.0.1:8088/janus",
      description = "Janus's HTTP API, on this machine (default: ${DEFAULT-VALUE}).")
  URI janus;

  @Option(
      names = "--janus-admin",
      paramLabel = "URL",
      defaultValue = "http://127.0.0.1:7088/admin",
      description = "Janus's admin API, on this machine (default: ${DEFAULT-VALUE}).")
  URI janusAdmin;

  @Option(
      names = "--janus-admin-secret-file",
      paramLabel = "FILE",
      required = true,
      description =
          "A file holding Janus's admin_secret (used to stop new sessions when draining).")
  Path adminSecretFile;

  @Option(
      names = "--region",
      paramLabel = "ID",
      required = true,
      description = "This relay's AWS region, e.g. eu-west-1.")
  String region;

  @Option(
      names = "--market",
      paramLabel = "CODE",
      required = true,
      split = ",",
      description =
          "A market this relay serves (ISO 3166 code, repeatable or comma-separated): tokens for others get 403.")
  List<String> markets;

  @Option(
      names = "--token-public-key",
      paramLabel = "FILE",
      required = true,
      description =
          "A PEM public key (ES256, P-256) viewers' tokens are verified with; repeatable, for rotation. A token's kid names the file without .pem.")
  List<Path> tokenKeys;

  @Option(
      names = "--stream",
      paramLabel = "NAME=ID[:SECRETFILE]",
      description =
          "A WHEP stream name and a mountpoint in Janus's configuration it watches, with a file holding the mountpoint's secret where it has one; repeatable.")
  List<String> streams = List.of();

  @Option(
      names = "--transcoder",
      paramLabel = "URL",
      description =
          "A transcoder agent's API (http://10.0.3.9:7090), repeatable: its live streams get a Janus mountpoint per rendition here, registered with it; WHEP names are the stream's (its tallest rendition) or NAME@HEIGHT.")
  List<URI> transcoders = List.of();

  @Option(
      names = "--control-table",
      paramLabel = "NAME",
      description =
          "The control table where the region's transcoders announce themselves: their live streams are followed as --transcoder's are (needs AWS; the CDK app passes it).")
  String controlTable;

  @Option(
      names = "--control-region",
      paramLabel = "ID",
      description =
          "The control table's region (the primary region in edge-regions.yaml; default: --region).")
  String controlRegion;

  @Option(
      names = "--cpu-limit",
      paramLabel = "FRACTION",
      defaultValue = "0.85",
      description =
          "Above this share of the machine's CPU, viewers of transcoded streams are moved to lower renditions, a tenth every --feed-poll, and moved back once it has stayed below 70%% of it for 30 s (default: ${DEFAULT-VALUE}).")
  double cpuLimit;

  @Option(
      names = "--egress-limit",
      paramLabel = "MBPS",
      description =
          "Likewise above this many megabits a second sent (the instance's network baseline; default: CPU only).")
  Double egressLimitMbps;

  @Option(
      names = "--feed-poll",
      paramLabel = "DURATION",
      defaultValue = "3s",
      converter = Durations.class,
      description =
          "How often the transcoders are asked for their streams, and registrations renewed (default: ${DEFAULT-VALUE}; within their lease).")
  Duration feedPoll;

  @Option(
      names = "--publish-interval",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = Durations.class,
      description =
          "How often metrics go to CloudWatch Liffey/Edge (default: ${DEFAULT-VALUE}; the autoscaler reads 10 s periods).")
  Duration publishInterval;

  @Option(
      names = "--drain-max",
      paramLabel = "DURATION",
      defaultValue = "2h",
      converter = Durations.class,
      description =
          "How long a terminating relay waits for its viewers to leave before it goes anyway (default: ${DEFAULT-VALUE}: a match with extra time; the autoscaler removes the emptiest relays, so most drains end in minutes).")
  Duration drainMax;

  @Mixin LifecycleHookOptions hook = new LifecycleHookOptions();

  @Option(
      names = "--instance-id",
      paramLabel = "ID",
      description =
          "This instance's id (default: from IMDS). Without one there is no per-relay count and no drain.")
  String instanceId;

  @Option(
      names = "--max-viewers",
      paramLabel = "N",
      description =
          "Viewers this relay holds at most; more get 503 and count as RejectedJoins{full} (default: unbounded).")
  Integer maxViewers;

  @Option(
      names = "--pack-to",
      paramLabel = "N",
      description =
          "Fill relays one after another: a join goes to the region's fullest relay below N viewers"
              + " (passed there inside the VPC), so the relays beyond what viewers need stay empty"
              + " and a scale-in takes relays nobody is on. Give the viewers a relay holds at the"
              + " autoscaler's target utilization. Needs --control-table, where the region's relays"
              + " announce their counts (default: admit every join where it arrives).")
  Integer packTo;

  @Option(
      names = "--pack-below-ms",
      paramLabel = "MS",
      description =
          "With --pack-to: a relay whose watching viewers' round-trip p95 is at or above MS counts as"
              + " full however few it holds, so packing does not make viewers slow; while every relay"
              + " is past it (the region's network is slow), the count alone packs. Give the router's"
              + " calm band, 0.8 x latencySloMillis (default: the viewer count alone).")
  Double packBelowMillis;

  @Option(
      names = "--pack-poll",
      paramLabel = "DURATION",
      defaultValue = "2s",
      converter = Durations.class,
      description =
          "How often this relay announces its count to the others and reads theirs, with --pack-to;"
              + " an entry holds for three polls, 10 s at least (default: ${DEFAULT-VALUE}).")
  Duration packPoll;

  @Option(
      names = "--address-limit",
      paramLabel = "N/DURATION",
      defaultValue = "20/60s",
      description =
          "Joins one address may try: N at once, refilled at N per DURATION (default: ${DEFAULT-VALUE}).")
  String addressLimit;

  @Option(
      names = "--token-limit",
      paramLabel = "N/DURATION",
      defaultValue = "6/60s",
      description = "Joins one token may make, as above (default: ${DEFAULT-VALUE}).")
  String tokenLimit;

  @Option(
      names = "--turn-url",
      paramLabel = "URL",
      description =
          "A TURN server each admitted viewer is given credentials for, in WHEP Link headers"
              + " (repeatable), like turn:eu-west-1.edge.example:3478?transport=udp.")
  List<String> turnUrls;

  @Option(
      names = "--turn-secret-file",
      paramLabel = "FILE",
      description =
          "The region's TURN shared secret (coturn's static-auth-secret): the relay mints credentials from it.")
  Path turnSecretFile;

  @Option(
      names = "--turn-credential-ttl",
      paramLabel = "DURATION",
      defaultValue = "12h",
      converter = Durations.class,
      description =
          "How long a viewer's TURN credentials stay good: longer than a session (default: ${DEFAULT-VALUE}).")
  Duration turnCredentialTtl;

  @Option(
      names = "--no-reconnect-on-drain",
      description =
          "Do not ask viewers to reconnect when the relay drains. By default each viewer is offered"
              + " WHEP's server-sent events (a Link on its 201), and when the group takes the relay"
              + " out of service, those subscribed are sent a 'reconnect' event naming the URL they"
              + " joined at: they make a new session elsewhere before they leave this one, and the"
              + " relay empties in seconds instead of being billed until the last viewer leaves. A"
              + " player that ignores the event watches on until it leaves or --drain-max, as with"
              + " this flag.")
  boolean noReconnectOnDrain;

  @Option(
      names = "--public-url",
      paramLabel = "URL",
      description =
          "Where viewers reach WHEP through DNS, like https://edge.example: a reconnect event names"
              + " URL/whep/STREAM (default: /whep/STREAM, which the player resolves against the URL"
              + " it joined at).")
  URI publicUrl;

  @Option(
      names = "--no-aws",
      description = "Publish nothing and watch no lifecycle (a relay off AWS, or a local trial).")
  boolean noAws;

  /** The relay agent; {@code transcoder ...} runs the transcoder agent from the same jar. */
  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("transcoder")) {
      System.exit(
          dev.liffey.edge.transcode.TranscoderMain.run(
              java.util.Arrays.copyOfRange(args, 1, args.length)));
    }
    System.exit(run(args));
  }

  static int run(String... args) {
    return AgentCommandLine.run(new EdgeMain(), "liffey-edge", args);
  }

  /** Everything checked before anything starts: a bad flag or file is exit 2 with one line. */
  record Settings(
      InetSocketAddress listen,
      String adminSecret,
      Set<String> markets,
      Admission admission,
      Map<String, Mountpoint> streams,
      Optional<TurnCredentials> turn,
      Optional<InetSocketAddress> advertise,
      Optional<URI> publicUrl) {}

  Settings settings() {
    InetSocketAddress address = hostPort(listen);
    String secret = read(adminSecretFile, "--janus-admin-secret-file");
    Set<String> codes = new LinkedHashSet<>();
    for (String m : markets) {
      if (!MARKET.matcher(m).matches()) {
        throw new IllegalArgumentException(
            "--market " + m + ": a market is a two-letter upper-case code, like IE or GB");
      }
      codes.add(m);
    }
    TokenVerifier verifier = new TokenVerifier(TokenKeys.fromPemFiles(tokenKeys), codes);
    Admission admission =
        new Admission(
            verifier, limit(addressLimit, "--address-limit"), limit(tokenLimit, "--token-limit"));
    Map<String, Mountpoint> mounts = new LinkedHashMap<>();
    for (String s : streams) {
      Matcher m = STREAM.matcher(s);
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "--stream "
                + s
                + ": write NAME=MOUNTPOINT_ID or NAME=MOUNTPOINT_ID:SECRET_FILE, like match=1");
      }
      Optional<String> mountSecret =
          Optional.ofNullable(m.group(3)).map(f -> read(Path.of(f), "--stream " + m.group(1)));
      if (mounts.put(m.group(1), new Mountpoint(Long.parseLong(m.group(2)), mountSecret)) != null) {
        throw new IllegalArgumentException("--stream " + m.group(1) + " is given twice");
      }
    }
    if (mounts.isEmpty() && transcoders.isEmpty() && controlTable == null) {
      throw new IllegalArgumentException(
          "nothing to serve: give --control-table NAME (the region's transcoders), --transcoder URL"
              + " (one transcoder's streams) or --stream NAME=ID");
    }
    if (controlTable != null && noAws) {
      throw new IllegalArgumentException(
          "--control-table needs AWS: leave out --no-aws, or give --transcoder URL instead");
    }
    if (!(cpuLimit > 0 && cpuLimit <= 1)) {
      throw new IllegalArgumentException(
          "--cpu-limit " + cpuLimit + ": a share of the CPU above 0 and at most 1, like 0.85");
    }
    if (egressLimitMbps != null && !(egressLimitMbps > 0)) {
      throw new IllegalArgumentException(
          "--egress-limit " + egressLimitMbps + ": megabits a second above 0, or leave it out");
    }
    if (publishInterval.toSeconds() < 1) {
      throw new IllegalArgumentException("--publish-interval " + publishInterval + ": at least 1s");
    }
    if (packBelowMillis != null && packTo == null) {
      throw new IllegalArgumentException(
          "--pack-below-ms needs --pack-to: it bounds how full packing fills a relay");
    }
    if (packTo != null) {
      if (packTo < 1) {
        throw new IllegalArgumentException("--pack-to " + packTo + ": at least 1 viewer");
      }
      if (packBelowMillis != null && !(packBelowMillis > 0)) {
        throw new IllegalArgumentException(
            "--pack-below-ms " + packBelowMillis + ": milliseconds above 0, like 120");
      }
      if (controlTable == null) {
        throw new IllegalArgumentException(
            "--pack-to needs --control-table: the relays announce their counts there");
      }
      if (maxViewers != null && packTo > maxViewers) {
        throw new IllegalArgumentException(
            "--pack-to "
                + packTo
                + " is above --max-viewers "
                + maxViewers
                + ": a relay is filled to at most what it holds");
      }
      if (packPoll.toMillis() < 200) {
        throw new IllegalArgumentException("--pack-poll " + packPoll + ": at least 200ms");
      }
    }
    if (maxViewers != null && maxViewers < 1) {
      throw new IllegalArgumentException(
          "--max-viewers " + maxViewers + ": at least 1, or leave it out");
    }
    Optional<TurnCredentials> turn = Optional.empty();
    if (turnUrls != null && !turnUrls.isEmpty()) {
      if (turnSecretFile == null) {
        throw new IllegalArgumentException(
            "--turn-url needs --turn-secret-file: the secret the TURN servers check credentials with");
      }
      turn =
          Optional.of(
              new TurnCredentials(
                  turnUrls, read(turnSecretFile, "--turn-secret-file"), turnCredentialTtl));
    }
    Optional<InetSocketAddress> peers = Optional.empty();
    if (advertise != null) {
      InetSocketAddress a = hostPort(advertise, "--advertise");
      if (a.isUnresolved() || !ViewerIds.passable(a.getAddress())) {
        throw new IllegalArgumentException(
            "--advertise "
                + advertise
                + ": a private or loopback IPv4 address and port, like 10.0.1.23:8443");
      }
      peers = Optional.of(a);
    }
    if (publicUrl != null
        && (!publicUrl.isAbsolute()
            || !List.of("http", "https").contains(publicUrl.getScheme())
            || publicUrl.getHost() == null
            || publicUrl.getRawQuery() != null
            || publicUrl.getRawFragment() != null)) {
      throw new IllegalArgumentException(
          "--public-url "
              + publicUrl
              + ": an http or https URL with a host and no query, like https://edge.example");
    }
    if (publicUrl != null && noReconnectOnDrain) {
      throw new IllegalArgumentException(
          "--public-url is named only in reconnect events: leave out --no-reconnect-on-drain, or"
              + " --public-url");
    }
    return new Settings(
        address, secret, codes, admission, mounts, turn, peers, Optional.ofNullable(publicUrl));
  }

  @Override
  public Integer call() throws Exception {
    Settings s = settings();
    Clock clock = Clock.systemUTC();
    Viewers viewers = new Viewers();
    JoinCounts joins = new JoinCounts();
    JanusAdmin admin = new JanusAdmin(janusAdmin, s.adminSecret());
    Optional<String> instance = Optional.ofNullable(instanceId);
    Imds imds = new Imds(Ec2MetadataClient.create());
    if (!noAws && instance.isEmpty()) {
      instance = imds.read("/latest/meta-data/instance-id");
      if (instance.isEmpty()) {
        log.warn(
            "no instance id (IMDS did not answer, and no --instance-id): no per-relay count and no drain");
      }
    }
    Optional<SessionEvents> events =
        noReconnectOnDrain
            ? Optional.empty()
            : Optional.of(
                new SessionEvents(
                    id -> viewers.get(id).isPresent(),
                    s.publicUrl(),
                    SessionEvents.KEEP_ALIVE_EVERY));
    Optional<Drain> drain = Optional.empty();
    Optional<EdgePublisher> publisher = Optional.empty();
    if (!noAws) {
      Region r = Region.of(region);
      if (instance.isPresent()) {
        drain =
            Optional.of(
                new Drain(
                    () -> imds.read("/latest/meta-data/autoscaling/target-lifecycle-state"),
                    new AutoScalingLifecycle(
                        AutoScalingClient.builder().region(r).build(),
                        instance.get(),
                        hook.lifecycleHook),
                    admin::acceptNewSessions,
                    leaving -> events.ifPresent(e -> e.draining(leaving)),
                    viewers::size,
                    "viewers",
                    hook.heartbeatInterval,
                    drainMax,
                    clock));
      }
    }
    Optional<Drain> drainOrNone = drain;
    BooleanSupplier draining = () -> drainOrNone.map(Drain::draining).orElse(false);
    JanusApi janusApi = new JanusApi(janus);
    Optional<InetSocketAddress> self = advertised(s, imds);
    Optional<DynamoDbClient> table =
        Optional.ofNullable(controlTable)
            .map(
                t ->
                    DynamoDbClient.builder()
                        .region(Region.of(Optional.ofNullable(controlRegion).orElse(region)))
                        .build());
    Feeds feeds =
        new Feeds(
            janusApi,
            viewers,
            new Transcoders(
                transcoders,
                table.map(ddb -> new ControlTableRegistry(ddb, controlTable, region)),
                clock),
            instance.orElse("relay-" + s.listen().getPort()),
            self.map(InetSocketAddress::getHostString).orElse("127.0.0.1"));
    ViewerSessions sessions =
        new ViewerSessions(
            s.admission(),
            janusApi,
            StreamDirectory.of(s.streams()).or(feeds),
            maxViewers == null ? OptionalInt.empty() : OptionalInt.of(maxViewers),
            draining,
            viewers,
            joins,
            clock,
            self);
    Optional<RelayPresence> presence = Optional.empty();
    JoinRouter router = JoinRouter.HERE;
    if (packTo != null) {
      if (instance.isEmpty() || self.isEmpty()) {
        log.warn(
            "--pack-to: no instance id or no address the other relays reach (IMDS did not answer;"
                + " give --instance-id and --advertise): joins stay where they arrive");
      } else {
        Packing packing =
            new Packing(
                instance.get(),
                packTo,
                packBelowMillis == null ? Double.POSITIVE_INFINITY : packBelowMillis,
                viewers::size,
                draining,
                clock);
        presence =
            Optional.of(
                new RelayPresence(
                    new ControlTableRelays(table.orElseThrow(), controlTable, region),
                    instance.get(),
                    self.get(),
                    viewers::size,
                    viewers::rttP95,
                    draining,
                    packing,
                    packLease(packPoll),
                    clock));
        router = packing;
        log.info(
            "packing joins: each relay is filled to {} viewers{} before the next takes any",
            packTo,
            packBelowMillis == null ? "" : " or a round-trip p95 of " + packBelowMillis + " ms");
      }
    }
    if (!noAws) {
      JoinRouter joinsTo = router;
      BooleanSupplier takesJoins =
          () ->
              !draining.getAsBoolean()
                  && (maxViewers == null || viewers.size() < maxViewers)
                  && joinsTo.takesJoins();
      publisher =
          Optional.of(
              new EdgePublisher(
                  CloudWatchClient.builder().region(Region.of(region)).build(),
                  region,
                  instance,
                  s.markets(),
                  viewers,
                  events.map(e -> e::followingReconnect),
                  joins,
                  publishInterval,
                  // A packing relay says whether it holds viewers: the autoscaler keeps those.
                  packTo == null ? Optional.empty() : Optional.of(draining),
                  takesJoins));
    }
    EdgeAgent[] agent = new EdgeAgent[1];
    WhepServer server =
        new WhepServer(s.listen(), 32, sessions, () -> agent[0].health(), s.turn(), router, events);
    agent[0] = new EdgeAgent(server, sessions, viewers, publisher, drain, publishInterval, clock);
    checkJanus(admin, janusApi, s.streams());
    agent[0].start();
    presence.ifPresent(p -> p.start(packPoll));
    if (!transcoders.isEmpty() || controlTable != null) {
      ScheduledExecutorService syncs =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "feeds");
                t.setDaemon(true);
                return t;
              });
      Headroom headroom =
          new Headroom(
              new HostLoad(),
              cpuLimit,
              egressLimitMbps == null
                  ? OptionalDouble.empty()
                  : OptionalDouble.of(egressLimitMbps * 1e6),
              feeds,
              clock);
      syncs.scheduleWithFixedDelay(
          () -> {
            try {
              feeds.sync();
              headroom.tick();
            } catch (RuntimeException e) {
              log.error("following the transcoders' streams failed", e);
            }
          },
          0,
          feedPoll.toMillis(),
          TimeUnit.MILLISECONDS);
      log.info(
          "following the streams of transcoders {}{} every {}",
          transcoders,
          controlTable == null ? "" : " and those announced in " + controlTable,
          feedPoll);
    }
    log.info(
        "[region={}] serving WHEP on {} for streams {} and markets {}{}",
        region,
        server.address(),
        s.streams().keySet(),
        s.markets(),
        instance.map(i -> ", instance " + i).orElse(""));
    if (events.isPresent()) {
      log.info(
          "draining, the relay asks viewers subscribed to its WHEP events to reconnect at {}",
          events.get().reconnectUrl("STREAM"));
    } else {
      log.info("draining, the relay waits for its viewers to leave (--no-reconnect-on-drain)");
    }
    Optional<RelayPresence> presenceOnStop = presence;
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("stopping (viewers stay with Janus until their sessions time out)");
                  presenceOnStop.ifPresent(RelayPresence::close);
                  agent[0].close();
                  stopped.countDown();
                }));
    stopped.await();
    return 0;
  }

  /**
   * How long a relay's entry holds without a renewal: three polls, and 10 s at least, so that a
   * slow write or two (a throttled table, a busy relay) does not drop a serving relay from the
   * others' view. A relay that died within it is passed a join at most once before it is skipped.
   */
  static Duration packLease(Duration poll) {
    Duration three = poll.multipliedBy(3);
    Duration least = Duration.ofSeconds(10);
    return three.compareTo(least) > 0 ? three : least;
  }

  /** Where peers reach this agent: --advertise, else IMDS's private address and our port. */
  private Optional<InetSocketAddress> advertised(Settings s, Imds imds) {
    if (s.advertise().isPresent() || noAws) {
      return s.advertise();
    }
    return imds.read("/latest/meta-data/local-ipv4")
        .map(ip -> new InetSocketAddress(ip, s.listen().getPort()));
  }

  /** Janus may start after the agent (systemd orders them, but it may restart): warn, go on. */
  private static void checkJanus(JanusAdmin admin, JanusApi api, Map<String, Mountpoint> streams) {
    try {
      admin.acceptNewSessions(true);
      log.info("Janus {} accepts new sessions", admin.serverInfo());
    } catch (RuntimeException e) {
      log.warn(
          "Janus's admin API is not answering yet ({}); viewers get 502 until it does",
          e.getMessage());
      return;
    }
    streams.forEach(
        (name, m) -> {
          try {
            log.info(
                "stream {}: Janus mountpoint {}, {} viewers now",
                name,
                m.id(),
                api.mountpointViewers(m.id(), m.secret()));
          } catch (RuntimeException e) {
            log.warn(
                "stream {}: Janus mountpoint {} cannot be read ({}); its viewers get 502 until it"
                    + " can",
                name,
                m.id(),
                e.getMessage());
          }
        });
  }

  private static RateLimits limit(String value, String flag) {
    Matcher m = Pattern.compile("(\\d+)/(.+)").matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException(flag + " " + value + ": write N/DURATION, like 20/60s");
    }
    int n = Integer.parseInt(m.group(1));
    Duration per;
    try {
      per = Durations.parse(m.group(2));
    } catch (CommandLine.TypeConversionException e) {
      throw new IllegalArgumentException(flag + " " + value + ": " + e.getMessage());
    }
    if (n < 1 || per.isZero()) {
      throw new IllegalArgumentException(
          flag + " " + value + ": at least 1 join per a non-zero duration");
    }
    return new RateLimits(n, n / (per.toMillis() / 1000.0), 100_000);
  }

  private static InetSocketAddress hostPort(String value) {
    return hostPort(value, "--listen");
  }

  private static InetSocketAddress hostPort(String value, String flag) {
    return AgentCommandLine.hostPort(value, flag);
  }

  private static String read(Path file, String flag) {
    try {
      String s = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (s.isEmpty()) {
        throw new IllegalArgumentException(flag + " " + file + ": the file is empty");
      }
      return s;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          flag + " " + file + ": cannot read it (" + e.getClass().getSimpleName() + ")");
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = EdgeMain.class.getPackage().getImplementationVersion();
      return new String[] {"liffey-edge " + (v == null ? "(development build)" : v)};
    }
  }
}
