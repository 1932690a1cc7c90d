package dev.liffey.edge;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.imds.Ec2MetadataClient;

/**
 * Reads IMDS paths through the SDK's client (IMDSv2; {@code AWS_EC2_METADATA_SERVICE_ENDPOINT}
 * moves it). A read that fails is empty, and logged when the failure differs from the last one, so
 * a relay polling a broken IMDS says so once, not every 5 s.
 */
public final class Imds {
  private static final Logger log = LoggerFactory.getLogger(Imds.class);
  private final Ec2MetadataClient client;
  private final RepeatedProblem failures = new RepeatedProblem();

  public Imds(Ec2MetadataClient client) {
    this.client = client;
  }

  public Optional<String> read(String path) {
    try {
      Optional<String> value = Optional.of(client.get(path).asString().trim());
      failures.ended();
      return value;
    } catch (SdkClientException e) {
      String why = path + ": " + e.getMessage();
      if (failures.isNew(why)) {
        log.warn("cannot read IMDS {}", why);
      }
      return Optional.empty();
    }
  }
}
