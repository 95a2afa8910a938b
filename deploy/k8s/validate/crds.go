package validate

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	schemavalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/yaml"
)

// KEDA's CRDs as its Go module ships them (config/crd/bases), fetched from the module proxy.
const kedaModule = "github.com/kedacore/keda/v2@v2.18.3"

var kedaCRDs = []string{"keda.sh_scaledobjects.yaml", "keda.sh_triggerauthentications.yaml"}

type customResourceSchema struct {
	structural *structuralschema.Structural
	validator  schemavalidation.SchemaValidator
}

func loadCustomResourceSchemas(t *testing.T) map[schema.GroupVersionKind]*customResourceSchema {
	t.Helper()
	dir := moduleDir(t, kedaModule)
	schemas := map[schema.GroupVersionKind]*customResourceSchema{}
	for _, name := range kedaCRDs {
		addCRD(t, schemas, filepath.Join(dir, "config", "crd", "bases", name))
	}
	return schemas
}

func moduleDir(t *testing.T, module string) string {
	t.Helper()
	output, err := exec.Command("go", "mod", "download", "-json", module).Output()
	if err != nil {
		t.Fatalf("go mod download %s: %v", module, err)
	}
	var downloaded struct{ Dir, Error string }
	if err := json.Unmarshal(output, &downloaded); err != nil || downloaded.Error != "" {
		t.Fatalf("go mod download %s: %v %s", module, err, downloaded.Error)
	}
	return downloaded.Dir
}

func addCRD(t *testing.T, schemas map[schema.GroupVersionKind]*customResourceSchema, path string) {
	t.Helper()
	document, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var crd apiextensionsv1.CustomResourceDefinition
	if err := yaml.Unmarshal(document, &crd); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	for _, version := range crd.Spec.Versions {
		var internal apiextensions.CustomResourceValidation
		if err := apiextensionsv1.Convert_v1_CustomResourceValidation_To_apiextensions_CustomResourceValidation(version.Schema, &internal, nil); err != nil {
			t.Fatalf("%s %s: %v", path, version.Name, err)
		}
		structural, err := structuralschema.NewStructural(internal.OpenAPIV3Schema)
		if err != nil {
			t.Fatalf("%s %s: %v", path, version.Name, err)
		}
		validator, _, err := schemavalidation.NewSchemaValidator(internal.OpenAPIV3Schema)
		if err != nil {
			t.Fatalf("%s %s: %v", path, version.Name, err)
		}
		gvk := schema.GroupVersionKind{Group: crd.Spec.Group, Version: version.Name, Kind: crd.Spec.Names.Kind}
		schemas[gvk] = &customResourceSchema{structural: structural, validator: validator}
	}
}

// validate reports the fields the API server would drop as unknown, then the schema's errors.
func (s *customResourceSchema) validate(document []byte) []string {
	var object map[string]any
	if err := yaml.Unmarshal(document, &object); err != nil {
		return []string{err.Error()}
	}
	var problems []string
	for _, path := range pruning.PruneWithOptions(object, s.structural, true, structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true}) {
		problems = append(problems, "unknown field "+path)
	}
	for _, err := range schemavalidation.ValidateCustomResource(field.NewPath(""), object, s.validator) {
		problems = append(problems, err.Error())
	}
	return problems
}
