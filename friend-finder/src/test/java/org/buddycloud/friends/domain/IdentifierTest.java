package org.buddycloud.friends.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.buddycloud.contracts.problem.DomainException;
import org.junit.jupiter.api.Test;

class IdentifierTest {

    @Test
    void aPhoneNumberInNationalFormIsTheSameAsInInternationalForm() {
        Identifier national = Identifier.phone("07400 123456", "gb");
        assertEquals(national, Identifier.phone("+44 7400 123456", null));
        assertEquals(national, Identifier.phone("0044 7400-123456", "DE"), "dialled from Germany");
        assertEquals(national, Identifier.phone("+447400123456", "FR"), "the country does not matter with a +");
        assertEquals("447400123456", national.address());
        assertEquals("+44…56", national.masked());
        assertEquals(Identifier.phone("030 123456", "DE"), Identifier.phone("+49 30 123456", null));
    }

    @Test
    void aMailAddressIsTrimmedAndLowerCased() {
        Identifier mail = Identifier.email("  Juliet@Capulet.LIT ");
        assertEquals("juliet@capulet.lit", mail.address());
        assertEquals("j…@capulet.lit", mail.masked());
    }

    @Test
    void whatIsNoIdentifierIsRefusedWithAReason() {
        assertThrows(DomainException.class, () -> Identifier.email("juliet"));
        assertThrows(DomainException.class, () -> Identifier.email("a@b@c.lit"));
        assertThrows(DomainException.class, () -> Identifier.phone("07400 123456", null), "a national number needs its country");
        assertThrows(DomainException.class, () -> Identifier.phone("+44 12", null), "too short to be valid");
        assertThrows(DomainException.class, () -> Identifier.of(Medium.EMAIL, " ", null));
        assertThrows(DomainException.class, () -> Medium.of("fax"));
    }
}
