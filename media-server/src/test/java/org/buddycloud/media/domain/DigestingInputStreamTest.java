package org.buddycloud.media.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.junit.jupiter.api.Test;

class DigestingInputStreamTest {

    @Test
    void countsAndDigestsWhatPassesThrough() throws Exception {
        DigestingInputStream in = new DigestingInputStream(new ByteArrayInputStream("abc".getBytes(StandardCharsets.US_ASCII)), 3);
        in.transferTo(OutputStream.nullOutputStream());
        assertEquals(3, in.count());
        // FIPS 180 test vectors for "abc"
        assertEquals("a9993e364706816aba3e25717850c26c9cd0d89d", in.sha1());
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", in.sha256());
    }

    @Test
    void stopsTheUploadAsSoonAsTheActualLengthPassesTheLimit() {
        DigestingInputStream in = new DigestingInputStream(new ByteArrayInputStream(new byte[10_000]), 4_096);
        DomainException refused = assertThrows(DomainException.class, () -> in.transferTo(OutputStream.nullOutputStream()));
        assertEquals(Condition.PAYLOAD_TOO_BIG, refused.condition());
        assertEquals(true, in.count() <= 4_096 + 8_192, "it stopped within one buffer of the limit");
    }
}
