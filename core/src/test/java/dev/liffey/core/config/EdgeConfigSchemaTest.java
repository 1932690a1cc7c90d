package dev.liffey.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The JSON Schema editors check edge-regions.yaml with agrees with the loader, the model's
 * authority: the repository's file passes both; a broken one is flagged by both, at the same line;
 * every key the loader accepts, the schema accepts too.
 */
class EdgeConfigSchemaTest {
  private static final Path CONFIG = Path.of("..", "edge-regions.yaml");
  private static final String SCHEMA = "/dev/liffey/core/config/edge-regions.schema.json";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static Schema schema() throws Exception {
    try (InputStream in = EdgeConfigSchemaTest.class.getResourceAsStream(SCHEMA)) {
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
    }
  }

  /** The lines (1-based) the schema flags in {@code yaml}. */
  private static Set<Integer> schemaLines(String yaml) throws Exception {
    JsonNode doc = YAML.readTree(yaml);
    List<Error> errors = schema().validate(doc);
    Node root = new Yaml(new LoaderOptions()).compose(new StringReader(yaml));
    Set<Integer> lines = new TreeSet<>();
    for (Error e : errors) {
      lines.add(lineOf(root, e.getInstanceLocation(), e.getProperty()));
    }
    return lines;
  }

  /** The line of the node at {@code path} (or of its key {@code property}, for an unknown key). */
  private static int lineOf(Node root, NodePath path, String property) {
    Node node = root;
    for (int i = 0; i < path.getNameCount(); i++) {
      node = child(node, path.getElement(i));
    }
    if (property != null && node instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(property)) {
          return t.getKeyNode().getStartMark().getLine() + 1;
        }
      }
    }
    return node.getStartMark().getLine() + 1;
  }

  private static Node child(Node node, Object element) {
    if (node instanceof SequenceNode s && element instanceof Integer i) {
      return s.getValue().get(i);
    }
    if (node instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k
            && k.getValue().equals(String.valueOf(element))) {
          return t.getValueNode();
        }
      }
    }
    throw new AssertionError("no " + element + " under " + node.getStartMark());
  }

  /** The lines the loader's problems point at; empty when it accepts the text. */
  private static Set<Integer> loaderLines(String yaml) {
    InvalidConfigException e =
        catchThrowableOfType(
            InvalidConfigException.class,
            () -> new EdgeConfigLoader().parse("edge-regions.yaml", yaml));
    return e == null
        ? Set.of()
        : e.problems().stream()
            .map(ConfigProblem::line)
            .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void theRepositorysFilePassesTheSchema_andNamesItOnItsFirstLine() throws Exception {
    String yaml = Files.readString(CONFIG);

    assertThat(schemaLines(yaml)).isEmpty();
    assertThat(loaderLines(yaml)).isEmpty();
    String first = yaml.lines().findFirst().orElseThrow();
    assertThat(first).startsWith("# yaml-language-server: $schema=");
    Path schema = CONFIG.resolveSibling(first.substring(first.indexOf('=') + 1).strip());
    assertThat(schema).as("the schema the file names, from its own directory").isRegularFile();
    assertThat(Files.readString(schema))
        .isEqualTo(
            new String(EdgeConfigSchemaTest.class.getResourceAsStream(SCHEMA).readAllBytes()));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a word for a number        | 'maxInstances: 120'         | 'maxInstances: many'",
        "a value out of range       | 'tickSeconds: 10'           | 'tickSeconds: 0'",
        "an unknown key             | 'warmPoolSize: 10'          | 'warmPoolSlots: 10'",
        "a region id that is not one| 'id: eu-west-2'             | 'id: London'",
        "a codec no GPU encodes     | 'encodes: [hevc, h264]'     | 'encodes: [hevc, vp9]'",
        "a service with no quota    | 'quota: {cpu: 64, memoryGiB: 128, pods: 80}' | 'quotas: {cpu: 64, memoryGiB: 128, pods: 80}'",
        "an event with no audience  | 'expectedViewers: 85000'    | 'expectedViewer: 85000'",
        "a service with no priority | 'priority: 3000'            | 'priorty: 3000'",
        "a node faster than EC2     | 'nodeStartupSeconds: 60'    | 'nodeStartupSeconds: 5'",
        "a node with no room        | 'replicasPerNode: 4'        | 'replicasPerNode: 0'",
      })
  void aBrokenFileIsFlaggedByTheSchemaAndTheLoader_atTheSameLine(
      String what, String from, String to) throws Exception {
    String yaml = Files.readString(CONFIG);
    assertThat(yaml).contains(from);
    String broken = yaml.replaceFirst(java.util.regex.Pattern.quote(from), to);

    Set<Integer> loader = loaderLines(broken);
    Set<Integer> schema = schemaLines(broken);

    assertThat(loader).as("the loader flags %s", what).isNotEmpty();
    assertThat(schema).as("the schema flags %s", what).isNotEmpty();
    assertThat(schema)
        .as("schema lines %s against the loader's %s", schema, loader)
        .containsAnyElementsOf(loader);
  }

  @Test
  void everyOptionalKeyTheLoaderAccepts_theSchemaAcceptsToo() throws Exception {
    String yaml =
        Files.readString(CONFIG)
            .replace("stackPrefix: Liffey", "stackPrefix: Liffey\naccount: \"123456789012\"")
            .replace(
                "  namespace: liffey-system",
                "  namespace: liffey-system\n  leaseSeconds: 15\n  tickDeadlineSeconds: 8")
            .replace(
                "  replicaRegion: eu-west-2",
                "  replicaRegion: eu-west-2\n  lastKnownStateSeconds: 600");

    assertThat(yaml).contains("leaseSeconds: 15").contains("lastKnownStateSeconds: 600");
    assertThat(loaderLines(yaml)).isEmpty();
    assertThat(schemaLines(yaml)).isEmpty();
  }
}
