package dev.liffey.cdk.global;

import dev.liffey.cdk.LiffeyStack;
import dev.liffey.core.config.Market;
import dev.liffey.core.config.Routing;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.route53.CnameRecord;
import software.amazon.awscdk.services.route53.GeoLocation;
import software.amazon.awscdk.services.route53.HealthCheck;
import software.amazon.awscdk.services.route53.HealthCheckType;
import software.amazon.awscdk.services.route53.HostedZone;
import software.amazon.awscdk.services.route53.HostedZoneAttributes;
import software.amazon.awscdk.services.route53.IHostedZone;
import software.constructs.Construct;

/**
 * DNS routing of the edge. Viewers resolve {@code routing.entryName}: a geolocation record per
 * market sends each to its preferred region, except the routed market (Ireland), which goes to the
 * weighted set {@code routing.recordName}, one record per candidate region (SetIdentifier = region
 * id), each guarded by a health check. The autoscaler moves those weights; deploys set them only at
 * creation, as {@code initialWeights}.
 */
public final class RoutingStack extends LiffeyStack {
  private final Map<String, HealthCheck> healthChecks = new HashMap<>();

  public RoutingStack(Construct scope, String id, RoutingStackProps props) {
    super(
        scope,
        id,
        props.stack(),
        "Liffey routing: geolocation per market, "
            + props.routing().market()
            + " weighted between regions");
    Routing routing = props.routing();
    Duration ttl = Duration.seconds(routing.ttlSeconds());
    IHostedZone zone =
        HostedZone.fromHostedZoneAttributes(
            this,
            "Zone",
            HostedZoneAttributes.builder()
                .hostedZoneId(routing.hostedZoneId())
                .zoneName(routing.hostedZone())
                .build());

    for (Map.Entry<String, Integer> weight :
        routing.initialWeights().entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
      String region = weight.getKey();
      HealthCheck health =
          HealthCheck.Builder.create(this, "Health-" + region)
              .type(HealthCheckType.HTTPS)
              .fqdn("signal." + routing.regionalName(region))
              .port(routing.healthCheck().port())
              .resourcePath(routing.healthCheck().path())
              .requestInterval(Duration.seconds(routing.healthCheck().intervalSeconds()))
              .failureThreshold(routing.healthCheck().failureThreshold())
              .enableSni(true)
              .measureLatency(true)
              .build();
      healthChecks.put(region, health);
      CnameRecord.Builder.create(this, "Weighted-" + region)
          .zone(zone)
          .recordName(routing.recordName())
          .domainName(routing.regionalName(region))
          .setIdentifier(region)
          .weight(weight.getValue())
          .healthCheck(health)
          .ttl(ttl)
          .comment(
              "Liffey: share of "
                  + routing.market()
                  + " viewers sent to "
                  + region
                  + "; the autoscaler moves this weight")
          .build();
    }

    for (Market market : props.markets()) {
      String target =
          market.code().equals(routing.market())
              ? routing.recordName()
              : routing.regionalName(market.servedBy().get(0).regionId());
      CnameRecord.Builder.create(this, "Geo-" + market.code())
          .zone(zone)
          .recordName(routing.entryName())
          .domainName(target)
          .setIdentifier("geo-" + market.code())
          .geoLocation(GeoLocation.country(market.code()))
          .ttl(ttl)
          .build();
    }
    CnameRecord.Builder.create(this, "Geo-Default")
        .zone(zone)
        .recordName(routing.entryName())
        .domainName(routing.regionalName(props.defaultRegion()))
        .setIdentifier("geo-default")
        .geoLocation(GeoLocation.doDefault())
        .ttl(ttl)
        .build();
  }

  public List<String> checkedRegions() {
    return healthChecks.keySet().stream().sorted().toList();
  }
}
