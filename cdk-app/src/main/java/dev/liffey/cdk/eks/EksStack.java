package dev.liffey.cdk.eks;

import dev.liffey.cdk.Checkov;
import dev.liffey.cdk.LiffeyStack;
import dev.liffey.cdk.Nag;
import dev.liffey.cdk.iam.AutoscalerPolicy;
import dev.liffey.cdk.iam.AutoscalerTrust;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.EksCluster;
import dev.liffey.core.config.Region;
import dev.liffey.core.config.ServiceFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Arn;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.cdk.lambdalayer.kubectl.v32.KubectlV32Layer;
import software.amazon.awscdk.customresources.AwsCustomResource;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ecr.assets.TarballImageAsset;
import software.amazon.awscdk.services.eks_v2.AccessEntry;
import software.amazon.awscdk.services.eks_v2.CfnPodIdentityAssociation;
import software.amazon.awscdk.services.eks_v2.Cluster;
import software.amazon.awscdk.services.eks_v2.ClusterLoggingTypes;
import software.amazon.awscdk.services.eks_v2.ComputeConfig;
import software.amazon.awscdk.services.eks_v2.DefaultCapacityType;
import software.amazon.awscdk.services.eks_v2.EndpointAccess;
import software.amazon.awscdk.services.eks_v2.KubectlProviderOptions;
import software.amazon.awscdk.services.eks_v2.KubernetesManifest;
import software.amazon.awscdk.services.eks_v2.KubernetesVersion;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.CfnFunction;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * A region's EKS cluster (native CloudFormation {@code eks_v2} constructs): encrypted secrets,
 * control-plane logs, nodes that follow the pods, and one fenced namespace per service. The primary
 * region's cluster also runs the autoscaler daemon with its own IAM identity (EKS Pod Identity) and
 * keeps a private API endpoint; every other cluster maps that identity to the Kubernetes group
 * {@code liffey-autoscaler}, which may only read and scale the services' deployments and HPAs
 * ({@link ScalerRbac}), and opens its endpoint to the primary region's NAT addresses only ({@link
 * AutoscalerEgress}).
 *
 * <p>Nodes: EKS Auto Mode, not self-managed Karpenter. Both are Karpenter underneath, with the same
 * {@code karpenter.sh/v1} NodePool and its disruption budgets ({@link ServiceNodePool}); the
 * difference is who runs it. With Auto Mode AWS runs and upgrades the controller outside the
 * cluster, with the VPC CNI, CoreDNS, kube-proxy, the EBS CSI driver and the Pod Identity agent,
 * and patches the nodes (Bottlerocket, replaced at most every 21 days, about weekly for a new AMI).
 * Self-managed Karpenter would need a managed node group to run on, its Helm chart pulled at deploy
 * time, an interruption queue and its rules, its IAM roles, and an upgrade for every Kubernetes
 * version, all ours to keep working in each region. On IMDS, Auto Mode enforces IMDSv2 with a hop
 * limit of 1 on every node and its NodeClass has no setting to loosen it, so pods cannot read the
 * node role's credentials (the daemon uses Pod Identity); with Karpenter we would have had to set
 * {@code metadataOptions} ourselves. The cost: Auto Mode adds a management fee of about 12% of each
 * node's on-demand price (m7i.xlarge in Dublin: about 0.027 USD/h), against the two always-on nodes
 * self-managed Karpenter's controller needs per region and the hours of keeping it current. No
 * managed node group remains: the built-in {@code system} pool runs the cluster's own add-ons, the
 * {@code liffey-services} pool the services and the daemon. ({@code eks.minNodes} has no equivalent
 * in a pool, which launches nodes for pending pods only; the services' minReplicas are the floor.
 * {@code eks.maxNodes} bounds the pool's vCPUs.)
 */
public final class EksStack extends LiffeyStack {
  /** {@code autoscaler.image: tarball:autoscaler/target/liffey-autoscaler-image.tar}. */
  public static final String TARBALL = "tarball:";

  private final Cluster cluster;
  private final Optional<Role> autoscalerRole;

  public EksStack(Construct scope, String id, EksStackProps props) {
    super(
        scope,
        id,
        props.stack(),
        "Liffey EKS in "
            + props.region().city()
            + " ("
            + props.region().id()
            + "): cluster, nodes, chat/wallet/game namespaces"
            + (props.autoscaler().isPresent() ? ", the autoscaler" : ""));
    Region region = props.region();
    IVpc vpc = props.vpc();
    EksCluster eks = region.eks();
    boolean primary = props.autoscaler().isPresent();
    SubnetSelection privateSubnets =
        SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build();

    Key secretsKey =
        Key.Builder.create(this, "SecretsKey")
            .description("Liffey EKS secrets envelope encryption, " + region.id())
            .enableKeyRotation(true)
            .build();
    EndpointAccess endpoint =
        primary
            ? EndpointAccess.PRIVATE
            : EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom(
                AutoscalerEgress.read(this, props.autoscalerRoleName()).toArray(String[]::new));
    cluster =
        Cluster.Builder.create(this, "Cluster")
            .clusterName(props.clusterName())
            .version(KubernetesVersion.of(eks.kubernetesVersion()))
            .vpc(vpc)
            .vpcSubnets(List.of(privateSubnets))
            .endpointAccess(endpoint)
            .secretsEncryptionKey(secretsKey)
            .clusterLogging(
                List.of(
                    ClusterLoggingTypes.API,
                    ClusterLoggingTypes.AUDIT,
                    ClusterLoggingTypes.AUTHENTICATOR,
                    ClusterLoggingTypes.CONTROLLER_MANAGER,
                    ClusterLoggingTypes.SCHEDULER))
            // EKS Auto Mode (see above): the built-in system pool for the cluster's add-ons, and
            // the services' own pool, whose budgets the built-in general-purpose pool cannot take.
            .defaultCapacityType(DefaultCapacityType.AUTOMODE)
            .compute(ComputeConfig.builder().nodePools(List.of("system")).build())
            .kubectlProviderOptions(
                KubectlProviderOptions.builder()
                    .kubectlLayer(new KubectlV32Layer(this, "KubectlLayer"))
                    .build())
            .build();
    Nag.acknowledge(
        cluster,
        "AwsSolutions-IAM4",
        "EKS requires AmazonEKSClusterPolicy and, for Auto Mode, its compute, block storage, load"
            + " balancing and networking policies; the Auto Mode node role the worker and ECR read-only"
            + " policies; the kubectl provider Lambda basic execution; AWS maintains them as the"
            + " services change");
    Nag.acknowledge(
        cluster,
        "AwsSolutions-IAM5",
        "The kubectl provider (aws-cdk-lib) invokes its own functions by version wildcard and describes the cluster");
    Nag.acknowledge(
        cluster,
        "AwsSolutions-L1",
        "The kubectl provider's runtime is chosen and upgraded by aws-cdk-lib with the kubectl layer");
    if (!primary) {
      Nag.acknowledge(
          cluster,
          "AwsSolutions-EKS1",
          "The public endpoint admits only the primary region's NAT gateway addresses"
              + " (publicAccessCidrs), the autoscaler's path to this cluster; callers are still"
              + " authenticated by IAM and authorized by an access entry and namespaced RBAC");
    }

    List<Map<String, Object>> scalers =
        List.of(
            props
                .autoscaler()
                .map(
                    a ->
                        ScalerRbac.serviceAccount(
                            AutoscalerManifests.NAME, a.config().autoscaler().namespace()))
                .orElseGet(ScalerRbac::group),
            ScalerRbac.group(ScalerRbac.ON_CALL_GROUP));
    for (ServiceFleet service : eks.services()) {
      cluster.addManifest(
          "Service" + capitalize(service.name()),
          Manifests.ordered(ServiceManifests.of(service, eks.services(), scalers)));
    }
    // On-call's role, in every cluster: a group, no access policy, the same namespaced RBAC.
    groupEntry("OnCall", props.onCallRoleName(), ScalerRbac.ON_CALL_GROUP);
    cluster.addManifest(
        "ServiceNodePool",
        Manifests.ordered(
            List.of(
                ServiceNodePool.of(region.id(), region.availabilityZones(), eks, props.events()))));

    if (primary) {
      EksStackProps.Autoscaler a = props.autoscaler().get();
      autoscalerRole = Optional.of(deployAutoscaler(a.config(), a.configYaml()));
      AutoscalerEgress.publish(
          this,
          props.autoscalerRoleName(),
          AutoscalerEgress.natCidrs(vpc),
          a.config().regionIds().stream().filter(r -> !r.equals(region.id())).toList());
    } else {
      autoscalerRole = Optional.empty();
      // The L2 entry keeps the entry's logical ID from when it carried an access policy.
      groupEntry("Autoscaler", props.autoscalerRoleName(), ScalerRbac.GROUP);
    }
    acknowledgeCdkFunctions();
  }

  /**
   * An access entry mapping the IAM role {@code roleName} to a Kubernetes group, with no EKS access
   * policy: what the group may do is the RBAC in each service namespace.
   */
  private void groupEntry(String id, String roleName, String group) {
    String roleArn =
        Arn.format(
            ArnComponents.builder()
                .service("iam")
                .region("")
                .resource("role")
                .resourceName(roleName)
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                .build(),
            this);
    AccessEntry entry =
        AccessEntry.Builder.create(cluster, id)
            .cluster(cluster)
            .principal(roleArn)
            .accessPolicies(List.of())
            .build();
    // The L2 construct takes no groups.
    ((CfnResource) entry.getNode().getDefaultChild())
        .addPropertyOverride("KubernetesGroups", List.of(group));
  }

  /**
   * checkov's findings on the Lambda functions aws-cdk-lib makes and runs in this stack: the
   * cluster's kubectl provider and, in the primary region, {@code AwsCustomResource}'s function
   * ({@link AutoscalerEgress}). Liffey has no function of its own.
   */
  private void acknowledgeCdkFunctions() {
    List<IConstruct> scopes = new ArrayList<>(List.of(cluster));
    IConstruct customResource =
        getNode().tryFindChild("AWS" + AwsCustomResource.PROVIDER_FUNCTION_UUID.replace("-", ""));
    if (customResource != null) {
      scopes.add(customResource);
    }
    for (IConstruct scope : scopes) {
      for (IConstruct c : scope.getNode().findAll()) {
        if (!(c instanceof CfnFunction function)) {
          continue;
        }
        Checkov.acknowledge(
            function,
            "CKV_AWS_115",
            "aws-cdk-lib's provider function runs only while CloudFormation deploys this stack;"
                + " reserving concurrency for it would take from the account's pool");
        Checkov.acknowledge(
            function,
            "CKV_AWS_116",
            "CloudFormation invokes the provider function and waits for its answer, and a failed"
                + " invocation fails the deploy, which is the alert; a dead-letter queue would hold"
                + " events nobody replays");
        Checkov.acknowledge(
            function,
            "CKV_AWS_173",
            "Its environment holds no secret (aws-cdk-lib's settings for the provider), encrypted"
                + " at rest with Lambda's AWS-managed key");
        if (scope != cluster) {
          Checkov.acknowledge(
              function,
              "CKV_AWS_117",
              "AwsCustomResource's function calls only AWS APIs (SSM, in other regions) and"
                  + " reaches nothing in the VPC, so it runs outside it");
        }
      }
    }
  }

  private Role deployAutoscaler(EdgeConfig config, String configYaml) {
    Role role =
        Role.Builder.create(this, "AutoscalerRole")
            .roleName(AutoscalerPolicy.roleName(config))
            .description(
                "Liffey autoscaler: scales tagged groups, re-weights "
                    + config.routing().recordName()
                    + ", writes the control table")
            .assumedBy(new ServicePrincipal(AutoscalerTrust.POD_IDENTITY))
            .build();
    // Pod Identity for this cluster in this account only.
    AutoscalerTrust.scope(role, getAccount(), cluster.getClusterArn());
    AutoscalerPolicy.statements(config, this).forEach(role::addToPolicy);
    Nag.acknowledge(
        role,
        "AwsSolutions-IAM5",
        "Describe*, GetMetricData and DescribeInstanceTypeOfferings have no resource-level permissions (conditioned"
            + " on the configured regions); group ARNs are wildcards conditioned on liffey:managed=true; Route 53 change"
            + " ids, table indexes and the prefix-named clusters are unknown until created");

    KubernetesManifest manifests =
        cluster.addManifest(
            "Autoscaler",
            Manifests.ordered(AutoscalerManifests.of(config, configYaml, image(config))));
    CfnPodIdentityAssociation association =
        CfnPodIdentityAssociation.Builder.create(this, "AutoscalerIdentity")
            .clusterName(cluster.getClusterName())
            .namespace(config.autoscaler().namespace())
            .serviceAccount(AutoscalerManifests.NAME)
            .roleArn(role.getRoleArn())
            .build();
    manifests.getNode().addDependency(association);
    return role;
  }

  /**
   * The daemon's image: {@code autoscaler.image} as given, or, for {@code tarball:PATH} (the Jib
   * tarball, relative to the repository), an image asset that {@code cdk deploy} loads and pushes
   * to the bootstrap ECR repository.
   */
  private String image(EdgeConfig config) {
    String image = config.autoscaler().image();
    if (!image.startsWith(TARBALL)) {
      return image;
    }
    Path tarball =
        Path.of("..").resolve(image.substring(TARBALL.length())).toAbsolutePath().normalize();
    if (!Files.isRegularFile(tarball)) {
      throw new IllegalArgumentException(
          "autoscaler.image "
              + image
              + ": no file "
              + tarball
              + " (build it with"
              + " mvn -pl autoscaler -am package com.google.cloud.tools:jib-maven-plugin:buildTar -DskipTests)");
    }
    return TarballImageAsset.Builder.create(this, "AutoscalerImage")
        .tarballFile(tarball.toString())
        .displayName("liffey-autoscaler")
        .build()
        .getImageUri();
  }

  private static String capitalize(String s) {
    return s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).replace("-", "");
  }

  public Cluster cluster() {
    return cluster;
  }

  public Optional<Role> autoscalerRole() {
    return autoscalerRole;
  }
}
