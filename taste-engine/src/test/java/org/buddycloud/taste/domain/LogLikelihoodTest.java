package org.buddycloud.taste.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogLikelihoodTest {

    @Test
    void perfectAssociationOfOneEachIsFourLnTwo() {
        assertEquals(4 * Math.log(2), LogLikelihood.ratio(1, 0, 0, 1), 1e-12);
        assertEquals(40 * Math.log(2), LogLikelihood.ratio(10, 0, 0, 10), 1e-9);
    }

    @Test
    void ratioIsTheGTestOfTheTable() {
        long[][] tables = {{5, 1995, 0, 100_000}, {1000, 1995, 1000, 100_000}, {3, 7, 11, 979}, {40, 60, 200, 9_700}};
        for (long[] t : tables) {
            assertEquals(gTest(t[0], t[1], t[2], t[3]), LogLikelihood.ratio(t[0], t[1], t[2], t[3]), 1e-6 * gTest(t[0], t[1], t[2], t[3]));
        }
    }

    @Test
    void strengthIsZeroUnlessTheyShareMoreFollowersThanChance() {
        assertEquals(0, LogLikelihood.strength(0, 10, 10, 980));
        // 10 of 100 followers shared where 10% of everybody follows the second anyway: chance, not taste
        assertEquals(0, LogLikelihood.strength(10, 90, 90, 809));
        double related = LogLikelihood.strength(30, 70, 20, 880);
        assertEquals(Math.log1p(LogLikelihood.ratio(30, 70, 20, 881)), related, 1e-12, "ln(1 + llr), one more who follows neither");
        assertTrue(related > LogLikelihood.strength(10, 90, 20, 880), "more shared followers, more alike");
        assertTrue(LogLikelihood.strength(4, 0, 0, 0) > 0, "everybody follows both: still a pair, on a server this small");
        assertTrue(LogLikelihood.strength(5, 5, 5, 985) < LogLikelihood.strength(50, 50, 50, 9_850),
                "the same shares with more evidence are more surprising");
    }

    /** The G-test statistic written out: 2 Σ observed ln(observed / expected). */
    private static double gTest(long k11, long k12, long k21, long k22) {
        double n = k11 + k12 + k21 + k22;
        long[][] observed = {{k11, k12}, {k21, k22}};
        double[] rows = {k11 + k12, k21 + k22};
        double[] columns = {k11 + k21, k12 + k22};
        double g = 0;
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 2; c++) {
                if (observed[r][c] > 0) {
                    g += observed[r][c] * Math.log(observed[r][c] / (rows[r] * columns[c] / n));
                }
            }
        }
        return 2 * g;
    }
}
