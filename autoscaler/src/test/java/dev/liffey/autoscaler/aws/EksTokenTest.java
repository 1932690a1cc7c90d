package dev.liffey.autoscaler.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class EksTokenTest {
  private static final String KEY_ID = "AKIDEXAMPLE";
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  private static final Clock AT =
      Clock.fixed(Instant.parse("2026-12-01T10:15:30Z"), ZoneOffset.UTC);

  private static String mint() {
    return EksToken.mint(
        StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, SECRET)),
        "eu-west-2",
        "Liffey-eu-west-2",
        Optional.empty(),
        AT);
  }

  private static Map<String, String> query(URI url) {
    Map<String, String> q = new TreeMap<>();
    for (String pair : url.getRawQuery().split("&")) {
      String[] kv = pair.split("=", 2);
      q.put(kv[0], kv[1]);
    }
    return q;
  }

  @Test
  void isAPresignedGetCallerIdentity_forTheClustersRegion_namingTheCluster_asEksExpectsIt() {
    String token = mint();

    assertThat(token).startsWith("k8s-aws-v1.").doesNotContain("=").doesNotContain("+");
    URI url = EksToken.presignedUrl(token);
    assertThat(url.getScheme() + "://" + url.getHost() + url.getPath())
        .isEqualTo("https://sts.eu-west-2.amazonaws.com/");
    Map<String, String> q = query(url);
    assertThat(q)
        .containsEntry("Action", "GetCallerIdentity")
        .containsEntry("Version", "2011-06-15")
        .containsEntry("X-Amz-Algorithm", "AWS4-HMAC-SHA256")
        .containsEntry("X-Amz-Date", "20261201T101530Z")
        .containsEntry("X-Amz-Expires", "60")
        .containsEntry("X-Amz-SignedHeaders", "host%3Bx-k8s-aws-id");
    assertThat(URLDecoder.decode(q.get("X-Amz-Credential"), StandardCharsets.UTF_8))
        .isEqualTo(KEY_ID + "/20261201/eu-west-2/sts/aws4_request");
  }

  /** The signature, worked out here by the SigV4 rules as STS checks them, not by the SDK. */
  @Test
  void itsSignatureIsTheOneStsWorksOut_includingTheClusterHeader() throws Exception {
    URI url = EksToken.presignedUrl(mint());
    Map<String, String> q = query(url);
    String signature = q.remove("X-Amz-Signature");
    StringBuilder canonicalQuery = new StringBuilder();
    q.forEach(
        (k, v) ->
            canonicalQuery
                .append(canonicalQuery.isEmpty() ? "" : "&")
                .append(k)
                .append('=')
                .append(v));
    String canonicalRequest =
        String.join(
            "\n",
            "GET",
            "/",
            canonicalQuery,
            "host:sts.eu-west-2.amazonaws.com",
            "x-k8s-aws-id:Liffey-eu-west-2",
            "",
            "host;x-k8s-aws-id",
            hex(sha256("")));
    String scope = "20261201/eu-west-2/sts/aws4_request";
    String toSign =
        String.join(
            "\n", "AWS4-HMAC-SHA256", "20261201T101530Z", scope, hex(sha256(canonicalRequest)));
    byte[] key = hmac(("AWS4" + SECRET).getBytes(StandardCharsets.UTF_8), "20261201");
    key = hmac(key, "eu-west-2");
    key = hmac(key, "sts");
    key = hmac(key, "aws4_request");

    assertThat(signature).isEqualTo(hex(hmac(key, toSign)));

    String otherCluster =
        EksToken.mint(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, SECRET)),
            "eu-west-2",
            "Liffey-eu-central-1",
            Optional.empty(),
            AT);
    assertThat(query(EksToken.presignedUrl(otherCluster)).get("X-Amz-Signature"))
        .as("a token for one cluster is no token for another")
        .isNotEqualTo(signature);
  }

  @Test
  void aStringThatIsNoEksToken_isRefusedByName() {
    assertThatThrownBy(() -> EksToken.presignedUrl("Bearer abc"))
        .hasMessage("not an EKS token: it does not start with k8s-aws-v1.");
  }

  private static byte[] sha256(String s) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] hmac(byte[] key, String data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
