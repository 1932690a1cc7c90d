package dev.liffey.it.emulator;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.ImagePullPolicy;
import org.testcontainers.utility.DockerImageName;

/**
 * The AWS emulator the integration tests talk to over HTTP, on 127.0.0.1, started once per test
 * JVM:
 *
 * <ol>
 *   <li>through Testcontainers, the image named by {@code -Dliffey.emulator.image}: the official
 *       LocalStack image where it can be pulled, else the local moto image that {@code
 *       integration-tests/emulator/build-image.sh} builds offline (never pulled);
 *   <li>where no Docker engine can be reached at all (or with {@code -Dliffey.emulator=process}),
 *       {@code moto_server} as a local process from a virtualenv under {@code target/}, and it says
 *       so.
 * </ol>
 */
public final class AwsEmulator {
  static final String MOTO_VERSION = "5.2.5";
  private static AwsEmulator instance;

  private final URI endpoint;
  private final String description;
  private final AutoCloseable stopper;

  private AwsEmulator(URI endpoint, String description, AutoCloseable stopper) {
    this.endpoint = endpoint;
    this.description = description;
    this.stopper = stopper;
  }

  /** The running emulator; the first call starts it. */
  public static synchronized AwsEmulator get() {
    if (instance == null) {
      instance = start();
      System.err.println(
          "[liffey-it] AWS emulator: " + instance.description + " at " + instance.endpoint);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      instance.stopper.close();
                    } catch (Exception e) {
                      // the JVM is exiting
                    }
                  }));
    }
    return instance;
  }

  public URI endpoint() {
    return endpoint;
  }

  public String description() {
    return description;
  }

  /** Drops every resource, so each test starts from an empty account. */
  public void reset() {
    try {
      HttpURLConnection c =
          (HttpURLConnection) endpoint.resolve("/moto-api/reset").toURL().openConnection();
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.getOutputStream().close();
      if (c.getResponseCode() / 100 != 2) {
        throw new IllegalStateException("emulator reset answered " + c.getResponseCode());
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot reset the emulator at " + endpoint, e);
    }
  }

  private static AwsEmulator start() {
    String image =
        System.getProperty("liffey.emulator.image", "liffey/moto-emulator:" + MOTO_VERSION);
    boolean docker;
    if ("process".equals(System.getProperty("liffey.emulator"))) {
      docker = false; // asked for: -Dliffey.emulator=process
    } else {
      docker = Docker.available();
    }
    int port = freePort();
    if (docker) {
      GenericContainer<?> container =
          new GenericContainer<>(DockerImageName.parse(image))
              .withNetworkMode("host")
              .withImagePullPolicy(localOnlyUnless(image));
      if (image.contains("localstack")) {
        container.withEnv("GATEWAY_LISTEN", "127.0.0.1:" + port);
      } else {
        container.withCommand(
            "/opt/moto/bin/moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port));
      }
      container.start();
      URI endpoint = URI.create("http://127.0.0.1:" + port);
      awaitReady(endpoint, image.contains("localstack") ? "/_localstack/health" : "/moto-api/");
      return new AwsEmulator(
          endpoint, "Testcontainers, image " + image + ", host network", container::stop);
    }
    return startProcess(
        port,
        "process".equals(System.getProperty("liffey.emulator"))
            ? "-Dliffey.emulator=process"
            : "no Docker engine reachable");
  }

  /** Local images are never pulled (no registry is reachable); LocalStack's may be. */
  private static ImagePullPolicy localOnlyUnless(String image) {
    return name ->
        image.contains("localstack")
            && !DockerClientFactory.instance()
                .client()
                .listImagesCmd()
                .withImageNameFilter(image)
                .exec()
                .iterator()
                .hasNext();
  }

  private static AwsEmulator startProcess(int port, String why) {
    try {
      Path venv = Path.of("target", "moto-venv").toAbsolutePath();
      Path server = venv.resolve("bin/moto_server");
      if (!Files.isExecutable(server)) {
        run(List.of("python3", "-m", "venv", venv.toString()));
        run(
            List.of(
                venv.resolve("bin/pip").toString(),
                "install",
                "--quiet",
                "moto[server]==" + MOTO_VERSION));
      }
      // Idempotent: also brings a venv made before the patch up to date.
      run(
          List.of(
              venv.resolve("bin/python").toString(),
              Path.of("emulator", "moto-patches.py").toAbsolutePath().toString()));
      Process p =
          new ProcessBuilder(server.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
              .redirectErrorStream(true)
              .redirectOutput(Path.of("target", "moto-server.log").toFile())
              .start();
      URI endpoint = URI.create("http://127.0.0.1:" + port);
      awaitReady(endpoint, "/moto-api/");
      return new AwsEmulator(
          endpoint, why + ": moto " + MOTO_VERSION + " as a local process", p::destroy);
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(
          "cannot start moto_server as a local process: " + e.getMessage(), e);
    }
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed with exit " + p.exitValue());
    }
  }

  private static void awaitReady(URI endpoint, String path) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      try {
        HttpURLConnection c = (HttpURLConnection) endpoint.resolve(path).toURL().openConnection();
        c.setConnectTimeout(500);
        if (c.getResponseCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException(
        "the AWS emulator did not answer at " + endpoint + path + " within 60 s");
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
