package dev.liffey.cdk.eks;

import dev.liffey.cdk.LiffeyStackProps;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.KnownEvent;
import dev.liffey.core.config.Region;
import java.util.List;
import java.util.Optional;
import software.amazon.awscdk.services.ec2.IVpc;

/**
 * A region's EKS cluster: the region (its cluster and services), the VPC, the cluster's name, the
 * autoscaler's and on-call's roles (granted access here), the known events whose market the region
 * serves (no node consolidation during them), and, in the primary region only, the autoscaler
 * itself.
 */
public record EksStackProps(
    LiffeyStackProps stack,
    Region region,
    IVpc vpc,
    String clusterName,
    String autoscalerRoleName,
    String onCallRoleName,
    List<KnownEvent> events,
    Optional<Autoscaler> autoscaler) {

  /**
   * The autoscaler deployed with this cluster. It is the one piece that takes the whole
   * configuration: its role reaches every region, and the file ships to it as a ConfigMap.
   *
   * @param configYaml the text of edge-regions.yaml, as deployed
   */
  public record Autoscaler(EdgeConfig config, String configYaml) {}

  /** The known events whose market {@code regionId} serves, in the file's order. */
  public static List<KnownEvent> eventsServedBy(EdgeConfig config, String regionId) {
    return config.events().stream()
        .filter(
            e ->
                config
                    .market(e.market())
                    .filter(m -> m.servedBy().stream().anyMatch(s -> s.regionId().equals(regionId)))
                    .isPresent())
        .toList();
  }
}
