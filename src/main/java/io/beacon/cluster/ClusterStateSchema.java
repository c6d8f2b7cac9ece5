package io.beacon.cluster;

import org.infinispan.protostream.GeneratedSchema;
import org.infinispan.protostream.annotations.ProtoSchema;
import org.infinispan.protostream.annotations.ProtoSyntax;

/**
 * The ProtoStream schema of the shared state beside the registry: check progress, ejection state, and the
 * report routed to a breaker's owner with its answer. Policies are stored as JSON strings.
 */
@ProtoSchema(includeClasses = {StoredCheckProgress.class, StoredEjection.class, RoutedReport.class,
        RoutedReport.Verdict.class}, schemaPackageName = "beacon.cluster.state",
        schemaFileName = "beacon-cluster-state.proto", schemaFilePath = "proto/", syntax = ProtoSyntax.PROTO2)
interface ClusterStateSchema extends GeneratedSchema {
}
