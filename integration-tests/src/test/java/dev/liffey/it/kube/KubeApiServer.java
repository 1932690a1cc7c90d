package dev.liffey.it.kube;

import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real Kubernetes API server on 127.0.0.1: etcd and kube-apiserver built from the Go module proxy
 * by {@code integration-tests/kube-apiserver/build.sh} (cached outside the clone), RBAC
 * authorization on, users from a static token file, ServiceAccount tokens from the TokenRequest
 * API. There is no controller-manager, scheduler or kubelet: objects are stored, authorized and
 * admitted (quota, priority) as in a cluster, but nothing runs.
 */
public final class KubeApiServer implements AutoCloseable {
  /** A user of the token file with cluster-admin rights, for setting the cluster up. */
  public static final String ADMIN = "liffey-test-admin";

  private static final Path BUILD_SCRIPT =
      Path.of("kube-apiserver", "build.sh").toAbsolutePath().normalize();
  // A first build on a 2-core machine takes about 6 minutes.
  private static final long BUILD_TIMEOUT_MINUTES = 20;
  private static final Duration READY_WITHIN = Duration.ofSeconds(60);

  private final Path dir;
  private final List<Process> processes = new ArrayList<>();
  private final int port;
  private final String caPem;
  private final Map<String, String> userTokens;

  private KubeApiServer(Path dir, int port, String caPem, Map<String, String> userTokens) {
    this.dir = dir;
    this.port = port;
    this.caPem = caPem;
    this.userTokens = userTokens;
  }

  /**
   * Starts etcd and kube-apiserver in {@code dir}, and waits for {@code /readyz}.
   *
   * @param users further users of the token file: name to their groups (comma-separated, may be
   *     empty); each gets a token, see {@link #clientAs}
   */
  public static KubeApiServer start(Path dir, Map<String, String> users) throws Exception {
    return start(dir, users, List.of());
  }

  /** As {@link #start(Path, Map)}, with further kube-apiserver flags (a token webhook, say). */
  public static KubeApiServer start(Path dir, Map<String, String> users, List<String> flags)
      throws Exception {
    Path bin = binaries(dir);
    Files.createDirectories(dir);
    String ca = certificates(dir);

    Map<String, String> tokens = new java.util.LinkedHashMap<>();
    StringBuilder tokenFile = new StringBuilder();
    tokens.put(ADMIN, "admin-" + java.util.UUID.randomUUID());
    tokenFile.append(tokens.get(ADMIN)).append(',').append(ADMIN).append(",1,\"system:masters\"\n");
    int uid = 2;
    for (Map.Entry<String, String> user : users.entrySet()) {
      String token = "user-" + java.util.UUID.randomUUID();
      tokens.put(user.getKey(), token);
      tokenFile
          .append(token)
          .append(',')
          .append(user.getKey())
          .append(',')
          .append(uid++)
          .append(",\"")
          .append(user.getValue())
          .append("\"\n");
    }
    Files.writeString(dir.resolve("tokens.csv"), tokenFile);

    int etcdClient = freePort();
    int etcdPeer = freePort();
    int apiPort = freePort();
    KubeApiServer server = new KubeApiServer(dir, apiPort, ca, tokens);
    try {
      server.launch(
          "etcd",
          List.of(
              bin.resolve("etcd").toString(),
              "--data-dir",
              dir.resolve("etcd-data").toString(),
              "--listen-client-urls",
              "http://127.0.0.1:" + etcdClient,
              "--advertise-client-urls",
              "http://127.0.0.1:" + etcdClient,
              "--listen-peer-urls",
              "http://127.0.0.1:" + etcdPeer,
              "--initial-advertise-peer-urls",
              "http://127.0.0.1:" + etcdPeer,
              "--initial-cluster",
              "default=http://127.0.0.1:" + etcdPeer,
              "--unsafe-no-fsync"));
      List<String> apiServer =
          new ArrayList<>(
              List.of(
                  bin.resolve("kube-apiserver").toString(),
                  "--etcd-servers",
                  "http://127.0.0.1:" + etcdClient,
                  "--bind-address",
                  "127.0.0.1",
                  "--advertise-address",
                  "127.0.0.1",
                  "--secure-port",
                  String.valueOf(apiPort),
                  "--tls-cert-file",
                  dir.resolve("server.crt").toString(),
                  "--tls-private-key-file",
                  dir.resolve("server.key").toString(),
                  "--client-ca-file",
                  dir.resolve("ca.crt").toString(),
                  "--service-account-key-file",
                  dir.resolve("sa.pub").toString(),
                  "--service-account-signing-key-file",
                  dir.resolve("sa.key").toString(),
                  "--service-account-issuer",
                  "https://kubernetes.default.svc",
                  "--token-auth-file",
                  dir.resolve("tokens.csv").toString(),
                  "--authorization-mode",
                  "RBAC",
                  "--service-cluster-ip-range",
                  "10.96.0.0/16",
                  // No token controller runs to give pods ServiceAccount tokens.
                  "--disable-admission-plugins",
                  "ServiceAccount",
                  "--enable-priority-and-fairness=false"));
      apiServer.addAll(flags);
      server.launch("kube-apiserver", apiServer);
      server.awaitReady();
      return server;
    } catch (Exception | AssertionError e) {
      server.close();
      throw e;
    }
  }

  /** The directory of the cached binaries, building them first if this machine has none. */
  static Path binaries(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path log = dir.resolve("build.log");
    Process build =
        new ProcessBuilder("bash", BUILD_SCRIPT.toString())
            .redirectError(log.toFile())
            .redirectOutput(ProcessBuilder.Redirect.PIPE)
            .start();
    String out = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!build.waitFor(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      build.destroyForcibly();
      throw new AssertionError(BUILD_SCRIPT + " took over " + BUILD_TIMEOUT_MINUTES + " min");
    }
    if (build.exitValue() != 0 || out.isEmpty()) {
      throw new AssertionError(
          BUILD_SCRIPT + " failed (exit " + build.exitValue() + "): " + Files.readString(log));
    }
    return Path.of(out.lines().reduce((a, b) -> b).orElseThrow());
  }

  /** A client authenticated as the token file's {@code user}. */
  public KubernetesClient clientAs(String user) {
    return clientWithToken(tokenOf(user));
  }

  /** The token of the token file's {@code user}, for a kubeconfig. */
  public String tokenOf(String user) {
    String token = userTokens.get(user);
    if (token == null) {
      throw new IllegalArgumentException("no user " + user + " in the token file");
    }
    return token;
  }

  /** A cluster-admin client, for setting the cluster up. */
  public KubernetesClient admin() {
    return clientAs(ADMIN);
  }

  /**
   * A client authenticated as a ServiceAccount, by a token the TokenRequest API minted for it: what
   * a pod running under that ServiceAccount presents.
   */
  public KubernetesClient clientAsServiceAccount(String namespace, String name) {
    return clientWithToken(serviceAccountToken(namespace, name));
  }

  /** A token for a ServiceAccount, minted by the TokenRequest API, valid for an hour. */
  public String serviceAccountToken(String namespace, String name) {
    try (KubernetesClient admin = admin()) {
      return admin
          .serviceAccounts()
          .inNamespace(namespace)
          .withName(name)
          .tokenRequest(
              new TokenRequestBuilder()
                  .withNewSpec()
                  .withExpirationSeconds(3600L)
                  .endSpec()
                  .build())
          .getStatus()
          .getToken();
    }
  }

  /** A client with this token, the server's CA trusted, short timeouts and no retries. */
  public KubernetesClient clientWithToken(String token) {
    return clientWithToken(token, port);
  }

  /**
   * A client with this token that reaches the API server through another port of 127.0.0.1 (a proxy
   * in front of {@link #port()}).
   */
  public KubernetesClient clientWithToken(String token, int throughPort) {
    return new KubernetesClientBuilder().withConfig(config(token, throughPort)).build();
  }

  /** A client's configuration: this token, the server's CA, short timeouts and no retries. */
  public Config config(String token, int throughPort) {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl("https://127.0.0.1:" + throughPort)
        .withCaCertData(
            java.util.Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII)))
        .withOauthToken(token)
        .withConnectionTimeout(5_000)
        .withRequestTimeout(10_000)
        .withRequestRetryBackoffLimit(0)
        .build();
  }

  /** The API server's port on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** The API server's URL. */
  public String url() {
    return "https://127.0.0.1:" + port;
  }

  /** The CA that signed the server's certificate, PEM. */
  public String caPem() {
    return caPem;
  }

  private void launch(String name, List<String> command) throws IOException {
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile())
            .start();
    processes.add(p);
  }

  private void awaitReady() throws Exception {
    HttpClient http =
        HttpClient.newBuilder()
            .sslContext(trusting(caPem))
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    long deadline = System.nanoTime() + READY_WITHIN.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      for (Process p : processes) {
        if (!p.isAlive()) {
          throw new AssertionError(
              "a Kubernetes process exited (" + p.exitValue() + "); logs in " + dir);
        }
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(url() + "/readyz"))
                    .timeout(Duration.ofSeconds(2))
                    .header("Authorization", "Bearer " + userTokens.get(ADMIN))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
        last = r.statusCode() + " " + r.body();
      } catch (IOException e) {
        last = String.valueOf(e.getMessage());
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "kube-apiserver not ready within " + READY_WITHIN + ": " + last + "; logs in " + dir);
  }

  private static SSLContext trusting(String caPem) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    store.setCertificateEntry(
        "ca",
        CertificateFactory.getInstance("X.509")
            .generateCertificate(
                new java.io.ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII))));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return ssl;
  }

  /** A CA, a serving certificate for 127.0.0.1 signed by it, and the ServiceAccount key pair. */
  private static String certificates(Path dir) throws IOException, InterruptedException {
    Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    openssl(
        dir,
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        "2",
        "-subj",
        "/CN=liffey-test-ca");
    openssl(
        dir,
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=kube-apiserver");
    openssl(
        dir,
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.crt",
        "-days",
        "2",
        "-extfile",
        "san.ext");
    openssl(dir, "genrsa", "-out", "sa.key", "2048");
    openssl(dir, "rsa", "-in", "sa.key", "-pubout", "-out", "sa.pub");
    return Files.readString(dir.resolve("ca.crt"));
  }

  private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("openssl.log").toFile())
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new AssertionError(
          String.join(" ", command) + " failed: " + Files.readString(dir.resolve("openssl.log")));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Stops kube-apiserver, then etcd. */
  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process p = processes.get(i);
      p.destroy();
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
  }
}
