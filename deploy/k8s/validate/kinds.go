package validate

import (
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// The Kubernetes kinds the manifests may use, each with its Go type.
var kubernetesKinds = map[schema.GroupVersionKind]any{
	corev1.SchemeGroupVersion.WithKind("Namespace"):                      &corev1.Namespace{},
	corev1.SchemeGroupVersion.WithKind("ConfigMap"):                      &corev1.ConfigMap{},
	corev1.SchemeGroupVersion.WithKind("Service"):                        &corev1.Service{},
	appsv1.SchemeGroupVersion.WithKind("Deployment"):                     &appsv1.Deployment{},
	appsv1.SchemeGroupVersion.WithKind("StatefulSet"):                    &appsv1.StatefulSet{},
	batchv1.SchemeGroupVersion.WithKind("Job"):                           &batchv1.Job{},
	policyv1.SchemeGroupVersion.WithKind("PodDisruptionBudget"):          &policyv1.PodDisruptionBudget{},
	autoscalingv2.SchemeGroupVersion.WithKind("HorizontalPodAutoscaler"): &autoscalingv2.HorizontalPodAutoscaler{},
	networkingv1.SchemeGroupVersion.WithKind("Ingress"):                  &networkingv1.Ingress{},
}

// Strimzi's kinds: Strimzi ships its CRDs in no package of a registry reachable here (its Maven
// artifacts carry the model classes only), so their shape is checked by
// tests/deploy/test_k8s_manifests.py (topics, partitions, cluster label) and not by a schema.
var unschematizedKinds = map[schema.GroupVersionKind]bool{
	{Group: "kafka.strimzi.io", Version: "v1beta2", Kind: "Kafka"}:         true,
	{Group: "kafka.strimzi.io", Version: "v1beta2", Kind: "KafkaNodePool"}: true,
	{Group: "kafka.strimzi.io", Version: "v1beta2", Kind: "KafkaTopic"}:    true,
}
