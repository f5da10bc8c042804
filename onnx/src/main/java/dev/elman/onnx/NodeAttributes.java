package dev.elman.onnx;

import dev.elman.onnx.proto.AttributeProto;
import dev.elman.onnx.proto.AttributeProto.AttributeType;
import dev.elman.onnx.proto.NodeProto;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node's attributes, read by name and type. Every read marks the attribute as understood;
 * {@link #refuseOthers()} then refuses the first one the operator's implementation did not read,
 * so that an attribute Elman ignores is never silently dropped.
 */
final class NodeAttributes {
    private final String node;
    private final Map<String, AttributeProto> byName = new LinkedHashMap<>();
    private final java.util.Set<String> read = new java.util.HashSet<>();

    NodeAttributes(NodeProto proto, String node) throws OnnxException {
        this.node = node;
        for (AttributeProto a : proto.getAttributeList()) {
            if (!a.getRefAttrName().isEmpty()) {
                throw new UnsupportedOnnxException(node + ": attribute '" + a.getName() + "' refers to a function's attribute");
            }
            if (byName.put(a.getName(), a) != null) {
                throw new OnnxException(node + ": attribute '" + a.getName() + "' is given twice");
            }
        }
    }

    boolean has(String name) {
        return byName.containsKey(name);
    }

    private AttributeProto get(String name, AttributeType type) throws OnnxException {
        AttributeProto a = byName.get(name);
        if (a == null) {
            return null;
        }
        read.add(name);
        // IR version 1 files may leave the type unset; the field in use then says it.
        if (a.getType() != type && a.getType() != AttributeType.UNDEFINED) {
            throw new OnnxException(node + ": attribute '" + name + "' is " + a.getType().name().toLowerCase(java.util.Locale.ROOT)
                    + ", expected " + type.name().toLowerCase(java.util.Locale.ROOT));
        }
        return a;
    }

    long getInt(String name, long fallback) throws OnnxException {
        AttributeProto a = get(name, AttributeType.INT);
        return a == null ? fallback : a.getI();
    }

    float getFloat(String name, float fallback) throws OnnxException {
        AttributeProto a = get(name, AttributeType.FLOAT);
        return a == null ? fallback : a.getF();
    }

    String getString(String name, String fallback) throws OnnxException {
        AttributeProto a = get(name, AttributeType.STRING);
        return a == null ? fallback : a.getS().toString(StandardCharsets.UTF_8);
    }

    long[] getInts(String name) throws OnnxException {
        AttributeProto a = get(name, AttributeType.INTS);
        return a == null ? null : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    float[] getFloats(String name) throws OnnxException {
        AttributeProto a = get(name, AttributeType.FLOATS);
        if (a == null) {
            return null;
        }
        float[] out = new float[a.getFloatsCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.getFloats(i);
        }
        return out;
    }

    List<String> getStrings(String name) throws OnnxException {
        AttributeProto a = get(name, AttributeType.STRINGS);
        return a == null ? null : a.getStringsList().stream().map(s -> s.toString(StandardCharsets.UTF_8)).toList();
    }

    AttributeProto getTensor(String name) throws OnnxException {
        return get(name, AttributeType.TENSOR);
    }

    /** Refuses the first attribute no read asked for. */
    void refuseOthers() throws UnsupportedOnnxException {
        for (String name : byName.keySet()) {
            if (!read.contains(name)) {
                throw new UnsupportedOnnxException(node + ": attribute '" + name + "' is not supported");
            }
        }
    }
}
