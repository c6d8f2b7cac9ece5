package io.beacon.cluster;

import org.infinispan.protostream.GeneratedSchema;
import org.infinispan.protostream.annotations.ProtoSchema;
import org.infinispan.protostream.annotations.ProtoSyntax;

/** The ProtoStream schema of everything Beacon stores in the cluster cache; the processor generates the implementation. */
@ProtoSchema(includeClasses = {StoredInstance.class, Renewal.class, Renewal.Apply.class, Renewal.Peek.class,
        Renewal.Renewed.class}, schemaPackageName = "beacon.cluster",
        schemaFileName = "beacon-cluster.proto", schemaFilePath = "proto/", syntax = ProtoSyntax.PROTO2)
interface ClusterSchema extends GeneratedSchema {
}
