package dev.liffey.cdk.eks;

import dev.liffey.cdk.LiffeyStack;
import dev.liffey.cdk.Nag;
import dev.liffey.cdk.iam.AutoscalerPolicy;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.EksCluster;
import dev.liffey.core.config.Region;
import dev.liffey.core.config.ServiceFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Arn;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.cdk.lambdalayer.kubectl.v32.KubectlV32Layer;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ecr.assets.TarballImageAsset;
import software.amazon.awscdk.services.eks_v2.AccessPolicy;
import software.amazon.awscdk.services.eks_v2.AccessPolicyNameOptions;
import software.amazon.awscdk.services.eks_v2.AccessScopeType;
import software.amazon.awscdk.services.eks_v2.Addon;
import software.amazon.awscdk.services.eks_v2.CfnPodIdentityAssociation;
import software.amazon.awscdk.services.eks_v2.Cluster;
import software.amazon.awscdk.services.eks_v2.ClusterLoggingTypes;
import software.amazon.awscdk.services.eks_v2.DefaultCapacityType;
import software.amazon.awscdk.services.eks_v2.EndpointAccess;
import software.amazon.awscdk.services.eks_v2.KubectlProviderOptions;
import software.amazon.awscdk.services.eks_v2.KubernetesManifest;
import software.amazon.awscdk.services.eks_v2.KubernetesVersion;
import software.amazon.awscdk.services.eks_v2.NodegroupAmiType;
import software.amazon.awscdk.services.eks_v2.NodegroupOptions;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.constructs.Construct;

/**
 * A region's EKS cluster (native CloudFormation {@code eks_v2} constructs): private API endpoint,
 * encrypted secrets, control-plane logs, a managed node group, and one fenced namespace per
 * service. The primary region's cluster also runs the autoscaler daemon with its own IAM identity
 * (EKS Pod Identity); every other cluster lets that identity edit the service namespaces, nothing
 * more.
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
    SubnetSelection privateSubnets =
        SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build();

    Key secretsKey =
        Key.Builder.create(this, "SecretsKey")
            .description("Liffey EKS secrets envelope encryption, " + region.id())
            .enableKeyRotation(true)
            .build();
    cluster =
        Cluster.Builder.create(this, "Cluster")
            .clusterName(props.clusterName())
            .version(KubernetesVersion.of(eks.kubernetesVersion()))
            .vpc(vpc)
            .vpcSubnets(List.of(privateSubnets))
            .endpointAccess(EndpointAccess.PRIVATE)
            .secretsEncryptionKey(secretsKey)
            .clusterLogging(
                List.of(
                    ClusterLoggingTypes.API,
                    ClusterLoggingTypes.AUDIT,
                    ClusterLoggingTypes.AUTHENTICATOR,
                    ClusterLoggingTypes.CONTROLLER_MANAGER,
                    ClusterLoggingTypes.SCHEDULER))
            // Managed node groups, not Auto Mode: the autoscaler needs nodes it can reason about.
            .defaultCapacityType(DefaultCapacityType.NODEGROUP)
            .defaultCapacity(0)
            .kubectlProviderOptions(
                KubectlProviderOptions.builder()
                    .kubectlLayer(new KubectlV32Layer(this, "KubectlLayer"))
                    .build())
            .build();
    cluster.addNodegroupCapacity(
        "Services",
        NodegroupOptions.builder()
            .instanceTypes(eks.nodeInstanceTypes().stream().map(InstanceType::new).toList())
            .minSize(eks.minNodes())
            .maxSize(eks.maxNodes())
            .desiredSize(eks.minNodes())
            .amiType(NodegroupAmiType.AL2023_X86_64_STANDARD)
            .subnets(privateSubnets)
            .labels(Map.of("liffey.dev/pool", "services"))
            .build());
    Nag.acknowledge(
        cluster,
        "AwsSolutions-IAM4",
        "EKS requires AmazonEKSClusterPolicy, the node policies (worker, CNI, ECR read-only) and Lambda basic"
            + " execution for the kubectl provider; AWS maintains them as the services change");
    Nag.acknowledge(
        cluster,
        "AwsSolutions-IAM5",
        "The kubectl provider (aws-cdk-lib) invokes its own functions by version wildcard and describes the cluster");
    Nag.acknowledge(
        cluster,
        "AwsSolutions-L1",
        "The kubectl provider's runtime is chosen and upgraded by aws-cdk-lib with the kubectl layer");
    Addon.Builder.create(this, "PodIdentityAgent")
        .cluster(cluster)
        .addonName("eks-pod-identity-agent")
        .build();

    for (ServiceFleet service : eks.services()) {
      cluster.addManifest(
          "Service" + capitalize(service.name()), Manifests.ordered(ServiceManifests.of(service)));
    }

    if (props.autoscaler().isPresent()) {
      EksStackProps.Autoscaler a = props.autoscaler().get();
      autoscalerRole = Optional.of(deployAutoscaler(a.config(), a.configYaml()));
    } else {
      autoscalerRole = Optional.empty();
      String roleArn =
          Arn.format(
              ArnComponents.builder()
                  .service("iam")
                  .region("")
                  .resource("role")
                  .resourceName(props.autoscalerRoleName())
                  .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                  .build(),
              this);
      cluster.grantAccess(
          "Autoscaler",
          roleArn,
          List.of(
              AccessPolicy.fromAccessPolicyName(
                  "AmazonEKSEditPolicy",
                  AccessPolicyNameOptions.builder()
                      .accessScopeType(AccessScopeType.NAMESPACE)
                      .namespaces(eks.services().stream().map(ServiceFleet::name).toList())
                      .build())));
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
            .assumedBy(new ServicePrincipal("pods.eks.amazonaws.com"))
            .build();
    role.getAssumeRolePolicy()
        .addStatements(
            software.amazon.awscdk.services.iam.PolicyStatement.Builder.create()
                .actions(List.of("sts:TagSession"))
                .principals(List.of(new ServicePrincipal("pods.eks.amazonaws.com")))
                .build());
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
