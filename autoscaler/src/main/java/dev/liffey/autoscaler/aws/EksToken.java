package dev.liffey.autoscaler.aws;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;

/**
 * A bearer token for an EKS cluster's Kubernetes API, made as {@code aws eks get-token} makes it:
 * an STS {@code GetCallerIdentity} request presigned with the caller's credentials and naming the
 * cluster in a signed {@code x-k8s-aws-id} header, base64url-encoded after {@code k8s-aws-v1.}. EKS
 * replays the request to learn who calls, then maps that IAM role to Kubernetes groups through the
 * cluster's access entries. Nothing leaves this process to make one.
 */
public final class EksToken {
  public static final String PREFIX = "k8s-aws-v1.";
  public static final String CLUSTER_HEADER = "x-k8s-aws-id";
  // What aws eks get-token presigns for; EKS accepts a token for 15 minutes after it is signed.
  static final Duration PRESIGNED_FOR = Duration.ofSeconds(60);
  private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

  private EksToken() {}

  /**
   * @param region the region whose STS endpoint is presigned for (the cluster's)
   * @param stsEndpoint an STS endpoint other than AWS's regional one (an emulator)
   */
  public static String mint(
      AwsCredentialsProvider credentials,
      String region,
      String clusterName,
      Optional<URI> stsEndpoint,
      Clock clock) {
    URI sts = stsEndpoint.orElse(URI.create("https://sts." + region + ".amazonaws.com"));
    SdkHttpRequest request =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.GET)
            .uri(sts.resolve("/"))
            .appendRawQueryParameter("Action", "GetCallerIdentity")
            .appendRawQueryParameter("Version", "2011-06-15")
            .putHeader(CLUSTER_HEADER, clusterName)
            .build();
    SdkHttpRequest signed =
        SIGNER
            .sign(
                r ->
                    r.identity(credentials.resolveCredentials())
                        .request(request)
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sts")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(
                            AwsV4HttpSigner.AUTH_LOCATION,
                            AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, PRESIGNED_FOR)
                        .putProperty(HttpSigner.SIGNING_CLOCK, clock))
            .request();
    return PREFIX
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(signed.getUri().toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The presigned URL inside a token, for those who check one (EKS, a test's authenticator). */
  public static URI presignedUrl(String token) {
    if (!token.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not an EKS token: it does not start with " + PREFIX);
    }
    return URI.create(
        new String(
            Base64.getUrlDecoder().decode(token.substring(PREFIX.length())),
            StandardCharsets.UTF_8));
  }
}
