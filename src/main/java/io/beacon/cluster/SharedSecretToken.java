package io.beacon.cluster;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import org.jgroups.Address;
import org.jgroups.Message;
import org.jgroups.auth.AuthToken;
import org.jgroups.util.UUID;

/**
 * The JGroups AUTH token of a Beacon cluster: an HMAC-SHA256, under the key derived from the shared
 * secret, of the sender's address. The coordinator lets a member join (or merge) only when the MAC
 * matches the address the request came from; the secret itself never travels. Public with a no-argument
 * constructor because JGroups instantiates the token it reads from the wire by reflection (that copy holds
 * no key and is never asked to authenticate).
 */
public final class SharedSecretToken extends AuthToken {

    private static final int MAC_BYTES = 32;
    private static final byte[] LABEL = "beacon-cluster-join".getBytes(StandardCharsets.US_ASCII);

    private final SecretKey key;
    private byte[] received;

    /** The form JGroups reads from a message. */
    public SharedSecretToken() {
        this(null);
    }

    SharedSecretToken(SecretKey key) {
        this.key = key;
    }

    @Override
    public String getName() {
        return SharedSecretToken.class.getName();
    }

    @Override
    public int size() {
        return MAC_BYTES;
    }

    @Override
    public boolean authenticate(AuthToken token, Message msg) {
        if (key == null || !(token instanceof SharedSecretToken remote) || remote.received == null
                || msg.getSrc() == null) {
            return false;
        }
        return MessageDigest.isEqual(mac(msg.getSrc()), remote.received);
    }

    @Override
    public void writeTo(DataOutput out) throws IOException {
        Address self = auth == null ? null : auth.getAddress();
        if (key == null || self == null) {
            throw new IOException("the cluster token can only be sent by a started member");
        }
        out.write(mac(self));
    }

    @Override
    public void readFrom(DataInput in) throws IOException {
        received = new byte[MAC_BYTES];
        in.readFully(received);
    }

    private byte[] mac(Address address) {
        byte[] subject = address instanceof UUID uuid
                ? ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array()
                : address.toString().getBytes(StandardCharsets.UTF_8);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(LABEL);
            mac.update(subject);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
