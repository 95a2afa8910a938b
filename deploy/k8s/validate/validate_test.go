// Package validate renders the kustomizations with kustomize's own library and decodes every
// object strictly: Kubernetes kinds into k8s.io/api's types (an unknown or duplicated field is an
// error), custom resources against the structural schema of the CRD their project ships, the way
// the API server would (unknown fields pruned are reported as errors, then the schema's checks).
package validate

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/resmap"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"
)

var kustomizations = []string{"../base", "../overlays/production"}

func TestEveryRenderedObjectDecodesStrictly(t *testing.T) {
	customKinds := loadCustomResourceSchemas(t)
	for _, dir := range kustomizations {
		t.Run(dir, func(t *testing.T) {
			resources, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), dir)
			if err != nil {
				t.Fatalf("kustomize build %s: %v", dir, err)
			}
			if resources.Size() == 0 {
				t.Fatalf("kustomize build %s rendered nothing", dir)
			}
			keepRendered(t, dir, resources)
			for _, resource := range resources.Resources() {
				document, err := resource.AsYAML()
				if err != nil {
					t.Fatal(err)
				}
				gvk := schema.FromAPIVersionAndKind(resource.GetApiVersion(), resource.GetKind())
				where := fmt.Sprintf("%s %s/%s", dir, gvk.Kind, resource.GetName())
				for _, problem := range validateObject(gvk, resource.GetName(), document, customKinds) {
					t.Errorf("%s: %s", where, problem)
				}
			}
		})
	}
}

// validateObject returns what is wrong with one rendered object.
func validateObject(gvk schema.GroupVersionKind, name string, document []byte, customKinds map[schema.GroupVersionKind]*customResourceSchema) []string {
	var problems []string
	for _, message := range validation.IsDNS1123Subdomain(name) {
		problems = append(problems, "metadata.name: "+message)
	}
	if typed, ok := kubernetesKinds[gvk]; ok {
		object := reflect.New(reflect.TypeOf(typed).Elem()).Interface()
		if err := yaml.UnmarshalStrict(document, object); err != nil {
			problems = append(problems, err.Error())
		}
		return problems
	}
	if custom, ok := customKinds[gvk]; ok {
		return append(problems, custom.validate(document)...)
	}
	if _, ok := unschematizedKinds[gvk]; ok {
		return problems
	}
	return append(problems, "no Kubernetes type or custom resource schema known for "+gvk.String())
}

func TestAnUnknownFieldIsCaught(t *testing.T) {
	customKinds := loadCustomResourceSchemas(t)
	cases := []struct {
		gvk              schema.GroupVersionKind
		document, wanted string
	}{
		{schema.GroupVersionKind{Group: "apps", Version: "v1", Kind: "Deployment"},
			"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {replica: 2}\n", `unknown field "replica"`},
		{schema.GroupVersionKind{Group: "keda.sh", Version: "v1alpha1", Kind: "ScaledObject"},
			"apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: x}\nspec: {scaleTargetRef: {name: x}, maxReplicas: 3, triggers: []}\n", "unknown field spec.maxReplicas"},
		{schema.GroupVersionKind{Group: "keda.sh", Version: "v1alpha1", Kind: "ScaledObject"},
			"apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: x}\nspec: {scaleTargetRef: {name: x}, minReplicaCount: many, triggers: []}\n", "spec.minReplicaCount"},
		{schema.GroupVersionKind{Group: "", Version: "v1", Kind: "ConfigMap"},
			"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n", "metadata.name"},
	}
	for _, c := range cases {
		name := "x"
		if c.wanted == "metadata.name" {
			name = "message.send_requested"
		}
		problems := strings.Join(validateObject(c.gvk, name, []byte(c.document), customKinds), "; ")
		if !strings.Contains(problems, c.wanted) {
			t.Errorf("%s: wanted a problem naming %q, got %q", c.gvk.Kind, c.wanted, problems)
		}
	}
}

// keepRendered writes what a kustomization rendered to $RENDERED_DIR/<its folder name>.yaml, for
// the checks that read the manifests against the services' own code (tests/deploy).
func keepRendered(t *testing.T, dir string, resources resmap.ResMap) {
	t.Helper()
	into := os.Getenv("RENDERED_DIR")
	if into == "" {
		return
	}
	document, err := resources.AsYaml()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(into, filepath.Base(dir)+".yaml"), document, 0o644); err != nil {
		t.Fatal(err)
	}
}
