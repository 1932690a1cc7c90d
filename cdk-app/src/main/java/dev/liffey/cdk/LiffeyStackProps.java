package dev.liffey.cdk;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Environment;

/**
 * What the app gives every Liffey stack: the account (when known; else left to deploy time), the
 * region, its availability zones (so synthesis looks nothing up) and the tags.
 */
public record LiffeyStackProps(
    Optional<String> account,
    String region,
    List<String> availabilityZones,
    Map<String, String> tags) {

  Environment environment() {
    var env = Environment.builder().region(region);
    account.filter(a -> !a.isBlank()).ifPresent(env::account);
    return env.build();
  }
}
