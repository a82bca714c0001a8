package io.hookrelay.signer;

import java.nio.ByteBuffer;
import java.security.Signature;
import java.security.SignatureException;
import javax.crypto.Mac;

/** A payload already in memory, fed to a Mac or Signature without copying. */
sealed interface Body {

    void update(Mac mac);

    void update(Signature signature) throws SignatureException;

    record Bytes(byte[] bytes) implements Body {

        @Override
        public void update(Mac mac) {
            mac.update(bytes);
        }

        @Override
        public void update(Signature signature) throws SignatureException {
            signature.update(bytes);
        }
    }

    /** Reads between position and limit of a duplicate: the caller's buffer is left as it was. */
    record Buffer(ByteBuffer buffer) implements Body {

        @Override
        public void update(Mac mac) {
            mac.update(buffer.duplicate());
        }

        @Override
        public void update(Signature signature) throws SignatureException {
            signature.update(buffer.duplicate());
        }
    }
}
