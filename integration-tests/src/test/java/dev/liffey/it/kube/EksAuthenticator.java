package dev.liffey.it.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.liffey.autoscaler.aws.AwsClients;
import dev.liffey.autoscaler.aws.EksToken;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * What EKS does with a bearer token, as a token webhook of the test API server. EKS has STS replay
 * the presigned {@code GetCallerIdentity} inside the token; the emulator serves no presigned
 * requests, so this authenticator does STS's part itself: it finds the caller's credentials by the
 * token's access key, checks the signature over the request and the cluster's name (a token made
 * for another cluster fails here, as it does at STS) and its age (15 minutes, as EKS allows), then
 * asks the emulator's STS who those credentials are. The IAM role of that answer is mapped to
 * Kubernetes groups as the cluster's access entries say; anything else is not authenticated.
 */
final class EksAuthenticator implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ASSUMED_ROLE =
      Pattern.compile("arn:aws:sts::(\\d+):assumed-role/([^/]+)/.*");
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final HttpServer server;
  private final AwsClients aws;
  private final URI sts;
  private final String clusterName;
  private final Map<String, List<String>> groupsByRole;
  private final Map<String, AwsSessionCredentials> callers = new ConcurrentHashMap<>();
  private final List<String> refusals = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * @param aws clients of the emulator, whose STS says who a caller is
   * @param groupsByRole the cluster's access entries: IAM role name to Kubernetes groups
   */
  EksAuthenticator(AwsClients aws, String clusterName, Map<String, List<String>> groupsByRole)
      throws IOException {
    this.aws = aws;
    this.sts = aws.endpoint().orElseThrow();
    this.clusterName = clusterName;
    this.groupsByRole = Map.copyOf(groupsByRole);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    server.createContext("/authenticate", this::review);
    server.start();
  }

  /** Why each token refused was refused, in order. */
  List<String> refusals() {
    return List.copyOf(refusals);
  }

  /** Credentials STS knows (the emulator issued them), by their access key. */
  void knows(AwsSessionCredentials credentials) {
    callers.put(credentials.accessKeyId(), credentials);
  }

  /**
   * The kube-apiserver flags that make it ask this authenticator, with its config in {@code dir}.
   */
  List<String> apiServerFlags(Path dir) throws IOException {
    Path config = dir.resolve("eks-authenticator.kubeconfig");
    Files.createDirectories(dir);
    Files.writeString(
        config,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: eks-authenticator
          cluster: {server: "http://127.0.0.1:%d/authenticate"}
        users:
        - name: kube-apiserver
          user: {}
        contexts:
        - name: webhook
          context: {cluster: eks-authenticator, user: kube-apiserver}
        current-context: webhook
        """
            .formatted(server.getAddress().getPort()));
    return List.of(
        "--authentication-token-webhook-config-file",
        config.toString(),
        "--authentication-token-webhook-version",
        "v1",
        "--authentication-token-webhook-cache-ttl",
        "0s");
  }

  private void review(HttpExchange exchange) throws IOException {
    JsonNode review = JSON.readTree(exchange.getRequestBody());
    ObjectNode status = JSON.createObjectNode();
    try {
      String role = callerRole(review.path("spec").path("token").asText());
      List<String> groups = groupsByRole.get(role);
      if (groups == null) {
        throw new IllegalArgumentException("no access entry for role " + role);
      }
      status.put("authenticated", true);
      ObjectNode user = status.putObject("user");
      user.put("username", "arn:aws:iam::role/" + role);
      user.put("uid", "aws-iam-authenticator:" + role);
      groups.forEach(user.putArray("groups")::add);
    } catch (Exception e) {
      refusals.add(String.valueOf(e.getMessage()));
      status.put("authenticated", false);
      status.put("error", String.valueOf(e.getMessage()));
    }
    ObjectNode answer = JSON.createObjectNode();
    answer.put("apiVersion", "authentication.k8s.io/v1");
    answer.put("kind", "TokenReview");
    answer.set("status", status);
    byte[] body = JSON.writeValueAsBytes(answer);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  /** The IAM role the token's presigned request was signed by, as STS would say. */
  private String callerRole(String token) {
    URI url = EksToken.presignedUrl(token);
    if (!(url.getHost() + ":" + url.getPort()).equals(sts.getHost() + ":" + sts.getPort())) {
      throw new IllegalArgumentException("the token's request does not go to STS: " + url);
    }
    Map<String, String> query = new TreeMap<>();
    for (String pair : url.getRawQuery().split("&")) {
      String[] kv = pair.split("=", 2);
      query.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
    }
    String[] scope = query.getOrDefault("X-Amz-Credential", "").split("/");
    AwsSessionCredentials caller = callers.get(scope[0]);
    if (caller == null || scope.length != 5) {
      throw new IllegalArgumentException("unknown access key " + scope[0]);
    }
    Instant signed = AMZ_DATE.parse(query.get("X-Amz-Date"), Instant::from);
    if (Duration.between(signed, Instant.now()).abs().compareTo(Duration.ofMinutes(15)) > 0) {
      throw new IllegalArgumentException("the token is older than 15 minutes");
    }
    // The same request signed again with the caller's secret and this cluster's name.
    String expected =
        EksToken.mint(
            StaticCredentialsProvider.create(caller),
            scope[2],
            clusterName,
            Optional.of(sts),
            Clock.fixed(signed, ZoneOffset.UTC));
    if (!expected.equals(token)) {
      throw new IllegalArgumentException(
          "the signature does not match: a token for another cluster, or forged");
    }
    String arn =
        aws.sts(scope[2])
            .getCallerIdentity(
                r ->
                    r.overrideConfiguration(
                        o -> o.credentialsProvider(StaticCredentialsProvider.create(caller))))
            .arn();
    Matcher m = ASSUMED_ROLE.matcher(arn);
    if (!m.matches()) {
      throw new IllegalArgumentException("the caller is no assumed IAM role: " + arn);
    }
    return m.group(2);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
