// Regenerates deploy-tests/src/test/resources/schemas/*.json: one JSON Schema (draft-07) per kind
// that deploy/k8s renders. Run by hand when a kind or a schema version changes, never in CI:
//
//   cd deploy-tests/schemas && npm install && node extract.mjs
//
// Why from the .d.ts files: the kubernetes-models packages ship their schemas only as
// precompiled Ajv validators (code, not JSON), but their TypeScript declarations are generated
// from the same Kubernetes OpenAPI / CRD schemas, so ts-json-schema-generator can turn each kind's
// interface back into a JSON Schema. What survives: field names, nesting, string/number/boolean/
// array/object types, enums written as literal unions, required fields. What does not: integer
// vs number, patterns, formats, minimum/maximum (see sources.txt).
//
// Strict like kubeconform -strict / kubectl --validate=strict: every object type that lists its
// properties forbids others (ts-json-schema-generator emits additionalProperties:false), while a
// map (`{[key: string]: T}`) or a free-form field (`{}`: the CRD's x-kubernetes-preserve-unknown-
// fields, e.g. KafkaTopic spec.config) stays open.
import { createGenerator } from "ts-json-schema-generator";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "../src/test/resources/schemas");
const require = createRequire(import.meta.url);
const pkgDir = (name) => dirname(require.resolve(`${name}/package.json`));

// apiVersion, kind, npm package, .d.ts file in it, interface name.
const KINDS = [
  ["apps/v1", "Deployment", "kubernetes-models", "apps/v1/Deployment.d.ts", "IDeployment"],
  ["v1", "Service", "kubernetes-models", "v1/Service.d.ts", "IService"],
  ["v1", "ConfigMap", "kubernetes-models", "v1/ConfigMap.d.ts", "IConfigMap"],
  ["v1", "Secret", "kubernetes-models", "v1/Secret.d.ts", "ISecret"],
  ["v1", "Namespace", "kubernetes-models", "v1/Namespace.d.ts", "INamespace"],
  ["v1", "PersistentVolumeClaim", "kubernetes-models", "v1/PersistentVolumeClaim.d.ts", "IPersistentVolumeClaim"],
  ["v1", "ServiceAccount", "kubernetes-models", "v1/ServiceAccount.d.ts", "IServiceAccount"],
  ["autoscaling/v2", "HorizontalPodAutoscaler", "kubernetes-models", "autoscaling/v2/HorizontalPodAutoscaler.d.ts", "IHorizontalPodAutoscaler"],
  ["policy/v1", "PodDisruptionBudget", "kubernetes-models", "policy/v1/PodDisruptionBudget.d.ts", "IPodDisruptionBudget"],
  ["networking.k8s.io/v1", "NetworkPolicy", "kubernetes-models", "networking.k8s.io/v1/NetworkPolicy.d.ts", "INetworkPolicy"],
  ["networking.k8s.io/v1", "Ingress", "kubernetes-models", "networking.k8s.io/v1/Ingress.d.ts", "IIngress"],
  ["kafka.strimzi.io/v1beta2", "Kafka", "@kubernetes-models/strimzi-kafka-operator", "kafka.strimzi.io/v1beta2/Kafka.d.ts", "IKafka"],
  ["kafka.strimzi.io/v1beta2", "KafkaNodePool", "@kubernetes-models/strimzi-kafka-operator", "kafka.strimzi.io/v1beta2/KafkaNodePool.d.ts", "IKafkaNodePool"],
  ["kafka.strimzi.io/v1beta2", "KafkaTopic", "@kubernetes-models/strimzi-kafka-operator", "kafka.strimzi.io/v1beta2/KafkaTopic.d.ts", "IKafkaTopic"],
  ["kafka.strimzi.io/v1beta2", "KafkaUser", "@kubernetes-models/strimzi-kafka-operator", "kafka.strimzi.io/v1beta2/KafkaUser.d.ts", "IKafkaUser"],
  ["postgresql.cnpg.io/v1", "Cluster", "@kubernetes-models/cloudnative-pg", "postgresql.cnpg.io/v1/Cluster.d.ts", "ICluster"],
  ["postgresql.cnpg.io/v1", "Database", "@kubernetes-models/cloudnative-pg", "postgresql.cnpg.io/v1/Database.d.ts", "IDatabase"],
  ["keda.sh/v1alpha1", "ScaledObject", "@kubernetes-models/keda", "keda.sh/v1alpha1/ScaledObject.d.ts", "IScaledObject"],
  ["keda.sh/v1alpha1", "TriggerAuthentication", "@kubernetes-models/keda", "keda.sh/v1alpha1/TriggerAuthentication.d.ts", "ITriggerAuthentication"],
];

// A free-form object ({} in TypeScript) comes out as {type: object} with no properties: make
// sure nothing closes it. Also drop the generator's $schema/$id noise from nested nodes.
function open(node) {
  if (Array.isArray(node)) return node.forEach(open);
  if (!node || typeof node !== "object") return;
  if (node.type === "object" && !node.properties && !node.additionalProperties && !node.$ref) {
    delete node.additionalProperties;
  }
  Object.values(node).forEach(open);
}

mkdirSync(out, { recursive: true });
const sources = [];
for (const [apiVersion, kind, pkg, file, type] of KINDS) {
  const dir = pkgDir(pkg);
  const generate = (expose) => createGenerator({
    path: join(dir, file),
    // The packages resolve each other through package.json "exports", which needs NodeNext.
    tsconfig: join(here, "tsconfig.json"),
    type,
    expose,
    jsDoc: "none",
    skipTypeCheck: true,
    additionalProperties: false,
    topRef: false,
  }).createSchema(type);
  let schema;
  try {
    schema = generate("export");
  } catch (e) {
    // Two exported declarations of one name in a package (cloudnative-pg has two
    // IConfigMapKeySelector): inline every type instead of sharing definitions.
    if (e.constructor.name !== "MultipleDefinitionsError") throw e;
    schema = generate("none");
  }
  open(schema);
  const group = apiVersion.includes("/") ? apiVersion.replace("/", "_") : `core_${apiVersion}`;
  const name = `${group}_${kind}.json`.toLowerCase();
  writeFileSync(join(out, name), JSON.stringify(schema, null, 1) + "\n");
  const version = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).version;
  sources.push(`${apiVersion}\t${kind}\t${name}\t${pkg}@${version}\t${file}#${type}`);
}
const generator = JSON.parse(readFileSync(join(pkgDir("ts-json-schema-generator"), "package.json"), "utf8")).version;
writeFileSync(join(out, "sources.txt"),
  "# Written by deploy-tests/schemas/extract.mjs (ts-json-schema-generator@" + generator + "); do not edit.\n"
  + "# apiVersion\tkind\tschema file\tnpm package\tdeclaration#interface\n"
  + sources.join("\n") + "\n");
console.log(`wrote ${sources.length} schemas to ${out}`);
