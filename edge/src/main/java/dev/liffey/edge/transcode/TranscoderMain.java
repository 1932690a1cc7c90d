package dev.liffey.edge.transcode;

import dev.liffey.edge.AgentCommandLine;
import dev.liffey.edge.Durations;
import dev.liffey.edge.transcode.LadderAssignment.RegionPlan;
import dev.liffey.edge.transcode.LadderEncoder.Encoder;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
import picocli.CommandLine.Option;
import software.amazon.awssdk.imds.Ec2MetadataClient;
import software.amazon.awssdk.regions.Region;
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
      required = true,
      description = "Where studios reach this instance's SRT listeners (its private address).")
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
      description = "The control table the autoscaler writes ladder plans to.")
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
      names = "--logs",
      paramLabel = "DIR",
      defaultValue = "/var/log/liffey-transcoder",
      description = "Where FFmpeg's own lines go, a file per process (default: ${DEFAULT-VALUE}).")
  Path logs;

  public static int run(String... args) {
    return AgentCommandLine.run(new TranscoderMain(), "liffey-edge transcoder", args);
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
    if (frameRate < 1 || frameRate > 120) {
      throw new IllegalArgumentException("--frame-rate " + frameRate + ": between 1 and 120");
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
        new StreamTranscoder.Settings(Encoder.SOFTWARE_H264, frameRate, logs));
  }

  @Override
  public Integer call() throws Exception {
    InetSocketAddress address = AgentCommandLine.hostPort(listen, "--listen");
    Transcoder.Settings s = settings();
    DynamoDbClient ddb = DynamoDbClient.builder().region(Region.of(controlRegion)).build();
    Supplier<RegionPlan> plans = new ControlTableLadders(ddb, controlTable, region)::read;
    String type =
        Optional.ofNullable(instanceType)
            .or(
                () ->
                    new dev.liffey.edge.Imds(Ec2MetadataClient.create())
                        .read("/latest/meta-data/instance-type"))
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
    TranscoderServer server = new TranscoderServer(address, transcoder, Clock.systemUTC());
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
            transcoder.expireRelays(Clock.systemUTC().instant());
          } catch (RuntimeException e) {
            log.error("applying the ladder plan failed", e);
          }
        },
        poll.toMillis(),
        poll.toMillis(),
        TimeUnit.MILLISECONDS);
    every.scheduleAtFixedRate(
        () -> publisher.publish(Clock.systemUTC().instant()),
        publishInterval.toMillis(),
        publishInterval.toMillis(),
        TimeUnit.MILLISECONDS);
    server.start();
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
                  server.close();
                  transcoder.close();
                  stopped.countDown();
                }));
    stopped.await();
    return 0;
  }
}
