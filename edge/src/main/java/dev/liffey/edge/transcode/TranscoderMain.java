package dev.liffey.edge.transcode;

import dev.liffey.core.media.H264Rendition;
import dev.liffey.edge.AgentCommandLine;
import dev.liffey.edge.Durations;
import dev.liffey.edge.Imds;
import dev.liffey.edge.drain.AutoScalingLifecycle;
import dev.liffey.edge.drain.Drain;
import dev.liffey.edge.drain.LifecycleHookOptions;
import dev.liffey.edge.placement.ControlTableRegistry;
import dev.liffey.edge.placement.Placement;
import dev.liffey.edge.transcode.LadderAssignment.RegionPlan;
import dev.liffey.edge.transcode.LadderEncoder.Encoder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.imds.Ec2MetadataClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@code java -jar liffey-edge.jar transcoder}: the agent on a GPU transcoder. */
@Command(
    name = "liffey-edge transcoder",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 100,
    description = {
      "Liffey's transcoder agent: takes live streams from studios over SRT, encodes each one's ABR"
          + " ladder with FFmpeg, and sends every rendition to the relays that register for it. Each"
          + " stream's ladder is this instance's share of the region's ladder plan, read from the"
          + " control table every --poll; a change is applied without a gap.",
      "It announces itself in the control table (transcoders#<region>): relays find it there, and"
          + " a new stream POSTed to any transcoder is sent (307) to the one that should take it:"
          + " room under the plan, the most preferred GPU type. On its group's terminate lifecycle"
          + " hook it takes no new stream, hands each of its streams to another transcoder (the"
          + " studio's SRT connection ends; asking the stream's address again sends it on) and"
          + " completes the hook when none is left, or at --drain-max.",
      "AWS credentials and endpoints come from the default chain (AWS_ENDPOINT_URL)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped (SIGTERM)",
      "1:failed while running",
      "2:a bad flag: one line says which; nothing was started"
    })
public final class TranscoderMain implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(TranscoderMain.class);

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      defaultValue = "0.0.0.0:7090",
      description =
          "The agent's API, for studios' ingest control and relays; keep it private"
              + " (default: ${DEFAULT-VALUE}).")
  String listen;

  @Option(
      names = "--region",
      paramLabel = "ID",
      required = true,
      description = "This transcoder's AWS region: its ladder plan is ladderplan#<region>.")
  String region;

  @Option(
      names = "--advertise-host",
      paramLabel = "HOST",
      description =
          "Where studios reach this instance's SRT listeners and relays its API (default: the"
              + " instance's private IPv4 from IMDS).")
  String advertiseHost;

  @Option(
      names = "--ingest-bind",
      paramLabel = "HOST",
      defaultValue = "0.0.0.0",
      description = "The address SRT listeners bind (default: ${DEFAULT-VALUE}).")
  String ingestBind;

  @Option(
      names = "--ingest-ports",
      paramLabel = "FIRST-LAST",
      defaultValue = "9000-9099",
      description =
          "UDP ports for the studios' SRT feeds, one a stream (default: ${DEFAULT-VALUE}).")
  String ingestPorts;

  @Option(
      names = "--slots",
      paramLabel = "N",
      required = true,
      description =
          "Full-ladder slots this instance has: its GPU type's streamsPerInstance in"
              + " edge-regions.yaml (10 on an L4).")
  double slots;

  @Option(
      names = "--frame-rate",
      paramLabel = "FPS",
      defaultValue = "30",
      description =
          "The studios' frame rate, for the keyframe interval (default: ${DEFAULT-VALUE}).")
  int frameRate;

  @Option(
      names = "--control-table",
      paramLabel = "NAME",
      required = true,
      description =
          "The control table: the autoscaler writes ladder plans there, and this transcoder"
              + " announces itself there (transcoders#<region>).")
  String controlTable;

  @Option(
      names = "--control-region",
      paramLabel = "ID",
      required = true,
      description = "The control table's region (the primary region in edge-regions.yaml).")
  String controlRegion;

  @Option(
      names = "--poll",
      paramLabel = "DURATION",
      defaultValue = "5s",
      converter = Durations.class,
      description =
          "How often the ladder plan is read: within one autoscaler tick (default: ${DEFAULT-VALUE}).")
  Duration poll;

  @Option(
      names = "--relay-lease",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = Durations.class,
      description =
          "How long a relay's registration holds without a renewal (default: ${DEFAULT-VALUE}).")
  Duration relayLease;

  @Option(
      names = "--instance-type",
      paramLabel = "TYPE",
      description = "This instance's type, the TranscoderSlotsUsed dimension (default: from IMDS).")
  String instanceType;

  @Option(
      names = "--publish-interval",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = Durations.class,
      description =
          "How often LiveStreams and TranscoderSlotsUsed go to CloudWatch Liffey/Edge (default:"
              + " ${DEFAULT-VALUE}; the autoscaler reads 10 s periods).")
  Duration publishInterval;

  @Option(
      names = "--encoder",
      paramLabel = "NAME",
      defaultValue = "x264",
      description =
          "x264 (software, anywhere) or nvenc-h264 (the GPU's NVENC; checked at start by encoding"
              + " one frame) (default: ${DEFAULT-VALUE}).")
  String encoder;

  @Option(
      names = "--prefer-types",
      paramLabel = "TYPE",
      split = ",",
      description =
          "GPU types new streams go to first, most preferred first: the order of the fleet's"
              + " instance types in edge-regions.yaml (like g6.2xlarge,g5.2xlarge,g4dn.2xlarge)."
              + " Default: none preferred, the most room first.")
  List<String> preferTypes = List.of();

  @Mixin LifecycleHookOptions hook = new LifecycleHookOptions();

  @Option(
      names = "--instance-id",
      paramLabel = "ID",
      description =
          "This instance's id, its name in the registry and at the lifecycle hook (default: from"
              + " IMDS; without one the agent neither announces itself nor drains).")
  String instanceId;

  @Option(
      names = "--drain-max",
      paramLabel = "DURATION",
      defaultValue = "15m",
      converter = Durations.class,
      description =
          "How long a terminating transcoder keeps a stream no other transcoder takes before it goes"
              + " anyway (default: ${DEFAULT-VALUE}; streams are usually handed over within one"
              + " --poll).")
  Duration drainMax;

  @Option(
      names = "--logs",
      paramLabel = "DIR",
      defaultValue = "/var/log/liffey-transcoder",
      description = "Where FFmpeg's own lines go, a file per process (default: ${DEFAULT-VALUE}).")
  Path logs;

  public static int run(String... args) {
    return AgentCommandLine.run(new TranscoderMain(), "liffey-edge transcoder", args);
  }

  /** The --encoder, once FFmpeg has shown it can encode with it here. */
  private Encoder encoder() {
    Encoder e =
        Encoder.byFlag(encoder)
            .orElseThrow(
                () ->
                    new IllegalArgumentException("--encoder " + encoder + ": x264 or nvenc-h264"));
    e.problem()
        .ifPresent(
            p -> {
              throw new IllegalArgumentException(
                  "--encoder "
                      + encoder
                      + ": FFmpeg cannot encode with "
                      + e.codec()
                      + " on this machine ("
                      + p
                      + ")"
                      + (e == Encoder.NVENC_H264
                          ? ": it needs an NVIDIA GPU, its driver and an FFmpeg built with NVENC"
                          : ""));
            });
    return e;
  }

  Transcoder.Settings settings() {
    String[] range = ingestPorts.split("-", 2);
    int first;
    int last;
    try {
      first = Integer.parseInt(range[0].strip());
      last = range.length == 2 ? Integer.parseInt(range[1].strip()) : first;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--ingest-ports " + ingestPorts + ": FIRST-LAST, like 9000-9099");
    }
    if (first < 1024 || last > 65_535 || last < first) {
      throw new IllegalArgumentException(
          "--ingest-ports " + ingestPorts + ": a range within 1024-65535, like 9000-9099");
    }
    if (slots <= 0) {
      throw new IllegalArgumentException("--slots " + slots + ": at least one full-ladder slot");
    }
    if (frameRate < 1 || frameRate > H264Rendition.MAX_FRAME_RATE) {
      throw new IllegalArgumentException(
          "--frame-rate "
              + frameRate
              + ": between 1 and "
              + H264Rendition.MAX_FRAME_RATE
              + " (the renditions' H.264 levels are chosen for that)");
    }
    for (String t : preferTypes) {
      if (!t.matches("[a-z][a-z0-9-]*\\.[a-z0-9]+")) {
        throw new IllegalArgumentException(
            "--prefer-types " + t + ": an EC2 instance type, like g6.2xlarge");
      }
    }
    if (drainMax.isNegative()
        || drainMax.isZero()
        || hook.heartbeatInterval.isNegative()
        || hook.heartbeatInterval.isZero()) {
      throw new IllegalArgumentException(
          "--drain-max and --heartbeat-interval: both positive, like 15m and 60s");
    }
    if (poll.isNegative() || poll.isZero() || relayLease.compareTo(poll) <= 0) {
      throw new IllegalArgumentException(
          "--poll "
              + poll.toMillis()
              + "ms and --relay-lease "
              + relayLease.toMillis()
              + "ms: both positive, the lease longer than the poll");
    }
    try {
      Files.createDirectories(logs);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("--logs " + logs + ": cannot create it (" + e + ")");
    }
    return new Transcoder.Settings(
        advertiseHost,
        ingestBind,
        first,
        last,
        slots,
        relayLease,
        new StreamTranscoder.Settings(encoder(), frameRate, logs));
  }

  @Override
  public Integer call() throws Exception {
    InetSocketAddress address = AgentCommandLine.hostPort(listen, "--listen");
    Imds imds = new Imds(Ec2MetadataClient.create());
    if (advertiseHost == null) {
      advertiseHost =
          imds.read("/latest/meta-data/local-ipv4")
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "no --advertise-host, and IMDS did not say: give this instance's private"
                              + " address, like 10.0.3.9"));
    }
    Transcoder.Settings s = settings();
    DynamoDbClient ddb = DynamoDbClient.builder().region(Region.of(controlRegion)).build();
    Supplier<RegionPlan> plans = new ControlTableLadders(ddb, controlTable, region)::read;
    String type =
        Optional.ofNullable(instanceType)
            .or(() -> imds.read("/latest/meta-data/instance-type"))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no --instance-type, and IMDS did not say: give the GPU type, like"
                            + " g6.2xlarge"));
    Transcoder transcoder = new Transcoder(s, plans);
    transcoder.refreshPlan();
    StreamPublisher publisher =
        new StreamPublisher(
            CloudWatchClient.builder().region(Region.of(region)).build(),
            region,
            type,
            transcoder::size,
            transcoder::takeRefusedForSlots,
            transcoder::slotsUsed,
            publishInterval);
    Clock clock = Clock.systemUTC();
    Optional<String> id =
        Optional.ofNullable(instanceId).or(() -> imds.read("/latest/meta-data/instance-id"));
    if (id.isEmpty()) {
      log.warn(
          "no instance id (IMDS did not answer, and no --instance-id): not announced in the"
              + " registry, no placement, no drain");
    }
    ControlTableRegistry registry = new ControlTableRegistry(ddb, controlTable, region);
    URI api = URI.create("http://" + advertiseHost + ":" + address.getPort());
    Optional<Placement> placement = id.map(i -> new Placement(registry, i, preferTypes, clock));
    Optional<Announcer> announcer =
        id.map(
            i ->
                new Announcer(
                    registry, i, api, type, transcoder, publishInterval.multipliedBy(3), clock));
    Runnable announce = () -> announcer.ifPresent(Announcer::announce);
    Optional<Drain> drain =
        id.map(
            i ->
                new Drain(
                    () -> imds.read("/latest/meta-data/autoscaling/target-lifecycle-state"),
                    new AutoScalingLifecycle(
                        AutoScalingClient.builder().region(Region.of(region)).build(),
                        i,
                        hook.lifecycleHook),
                    accept -> {
                      transcoder.accepting(accept);
                      announce.run();
                    },
                    transcoder::size,
                    "streams",
                    hook.heartbeatInterval,
                    drainMax,
                    clock));
    Optional<HandOver> handOver = placement.map(p -> new HandOver(transcoder, p, registry));
    TranscoderServer server =
        new TranscoderServer(address, transcoder, placement, type, announce, clock);
    ScheduledExecutorService every =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ladder-plan");
              t.setDaemon(true);
              return t;
            });
    every.scheduleWithFixedDelay(
        () -> {
          try {
            transcoder.refreshPlan();
            transcoder.expireRelays(clock.instant());
            announcer.ifPresent(Announcer::announceIfChanged);
            drain.ifPresent(
                d -> {
                  d.tick();
                  if (d.draining() && !d.completed() && handOver.get().tick() > 0) {
                    announce.run();
                    d.tick(); // the last stream gone: complete now, not a poll later
                  }
                });
          } catch (RuntimeException e) {
            log.error("applying the ladder plan or draining failed", e);
          }
        },
        poll.toMillis(),
        poll.toMillis(),
        TimeUnit.MILLISECONDS);
    every.scheduleAtFixedRate(
        () -> {
          publisher.publish(clock.instant());
          if (drain.map(d -> !d.completed()).orElse(true)) {
            announce.run();
          }
        },
        publishInterval.toMillis(),
        publishInterval.toMillis(),
        TimeUnit.MILLISECONDS);
    server.start();
    announce.run();
    log.info(
        "[region={}] transcoder agent on {}: {} slots, ingest srt://{}:{}, ladder plan from {} in {}"
            + " every {} s",
        region,
        server.address(),
        s.slots(),
        advertiseHost,
        ingestPorts,
        controlTable,
        controlRegion,
        poll.toSeconds());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("stopping: every stream's FFmpeg stops with the agent");
                  every.shutdownNow();
                  announcer.ifPresent(Announcer::leave);
                  server.close();
                  transcoder.close();
                  stopped.countDown();
                }));
    stopped.await();
    return 0;
  }
}
