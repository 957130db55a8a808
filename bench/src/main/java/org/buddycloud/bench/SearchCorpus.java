package org.buddycloud.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Text for the search benchmark: posts of 10–40 words drawn Zipf-like (s = 1) from a vocabulary of common English
 * words in rough order of frequency, followed by a long tail of made-up words (a real term dictionary is large: names,
 * typos, jargon); channel titles and descriptions from a small directory vocabulary; places around a few cities.
 * Deterministic for a seed, so that both engines are sent the same corpus and the same queries.
 */
final class SearchCorpus {

    /** Common words, most frequent first: the head of the Zipf distribution and what queries ask for. */
    static final List<String> COMMON = List.of((
            "the of and to a in is it you that he was for on are with as his they be at one have this from or had by hot but "
            + "some what there we can out other were all your when up use word how said an each she which do their time if "
            + "will way about many then them would write like so these her long make thing see him two has look more day "
            + "could go come did my sound no most number who over know water than call first people may down side been now "
            + "find any new work part take get place made live where after back little only round man year came show every "
            + "good me give our under name very through just form much great think say help low line before turn cause same "
            + "mean differ move right boy old too does tell sentence set three want air well also play small end put home "
            + "read hand port large spell add even land here must big high such follow act why ask men change went light "
            + "kind off need house picture try us again animal point mother world near build self earth father head stand "
            + "own page should country found answer school grow study still learn plant cover food sun four thought let keep "
            + "eye never last door between city tree cross since hard start might story saw far sea draw left late run while "
            + "press close night real life few stop open seem together next white children begin got walk example ease paper "
            + "often always music those both mark book letter until mile river car feet care second group carry took rain "
            + "eat room friend began idea fish mountain north once base hear horse cut sure watch color face wood main enough "
            + "plain girl usual young ready above ever red list though feel talk bird soon body dog family direct pose leave "
            + "song measure state product black short numeral class wind question happen complete ship area half rock order "
            + "fire south problem piece told knew pass farm top whole king size heard best hour better true during hundred "
            + "am remember step early hold west ground interest reach fast five sing listen six table travel less morning "
            + "ten simple several vowel toward war lay against pattern slow center love person money serve appear road map "
            + "science rule govern pull cold notice voice fall power town fine certain fly unit lead cry dark machine note "
            + "wait plan figure star box noun field rest correct able pound done beauty drive stood contain front teach week "
            + "final gave green oh quick develop sleep warm free minute strong special mind behind clear tail produce fact "
            + "street inch lot nothing course stay wheel full force blue object decide surface deep moon island foot yet busy "
            + "test record boat common gold possible plane age dry wonder laugh thousand ago ran check game shape yes cool "
            + "miss brought heat snow bed bring sit perhaps fill east weight language among coffee garden bicycle photo "
            + "concert recipe festival harbour election football podcast server release camera library museum bridge").split(" "));

    /** The directory's vocabulary: what channel titles and descriptions are made of. */
    static final List<String> TOPICS = List.of(("cycling photography jazz hiking cooking gardening astronomy football chess "
            + "poetry linux climbing sailing birding knitting coffee baking running surfing painting theatre cinema opera "
            + "skateboarding travel history robotics beekeeping fishing yoga architecture typography podcasts vinyl "
            + "mushrooms volcanoes trains aviation rowing tennis cricket rugby comics anime pottery woodworking camping "
            + "kayaking geology botany physics privacy xmpp federation opensource").split(" "));
    static final List<String> ADJECTIVES = List.of(("daily weekly local urban rural northern southern amateur friendly "
            + "quiet open little great modern classic wild slow free independent curious").split(" "));
    static final List<String> NOUNS = List.of(("club notes journal circle society corner log collective forum network "
            + "diary workshop crew lab news").split(" "));

    /** A place a channel can be about: a city and where it lies. */
    record City(String name, double lat, double lon) {
    }

    static final List<City> CITIES = List.of(new City("Berlin", 52.52, 13.40), new City("London", 51.51, -0.13),
            new City("Paris", 48.86, 2.35), new City("Madrid", 40.42, -3.70), new City("Rome", 41.90, 12.50),
            new City("Stockholm", 59.33, 18.07), new City("Warsaw", 52.23, 21.01), new City("Istanbul", 41.01, 28.98),
            new City("Cairo", 30.04, 31.24), new City("Lagos", 6.52, 3.38), new City("Nairobi", -1.29, 36.82),
            new City("Johannesburg", -26.20, 28.05), new City("Mumbai", 19.08, 72.88), new City("Delhi", 28.61, 77.21),
            new City("Bangkok", 13.76, 100.50), new City("Singapore", 1.35, 103.82), new City("Jakarta", -6.21, 106.85),
            new City("Tokyo", 35.68, 139.69), new City("Seoul", 37.57, 126.98), new City("Beijing", 39.90, 116.40),
            new City("Sydney", -33.87, 151.21), new City("Auckland", -36.85, 174.76), new City("Honolulu", 21.31, -157.86),
            new City("Vancouver", 49.28, -123.12), new City("Seattle", 47.61, -122.33), new City("San Francisco", 37.77, -122.42),
            new City("Mexico City", 19.43, -99.13), new City("Chicago", 41.88, -87.63), new City("Toronto", 43.65, -79.38),
            new City("New York", 40.71, -74.01), new City("Bogota", 4.71, -74.07), new City("Lima", -12.05, -77.04),
            new City("Santiago", -33.45, -70.67), new City("Buenos Aires", -34.60, -58.38), new City("Sao Paulo", -23.55, -46.63),
            new City("Reykjavik", 64.15, -21.94), new City("Lisbon", 38.72, -9.14), new City("Athens", 37.98, 23.73),
            new City("Moscow", 55.76, 37.62), new City("Dubai", 25.20, 55.27));

    private static final String[] ONSETS = {"b", "br", "c", "ch", "d", "dr", "f", "g", "gl", "h", "j", "k", "l", "m", "n", "p",
            "pl", "qu", "r", "s", "sh", "st", "t", "tr", "v", "w", "z"};
    private static final String[] VOWELS = {"a", "e", "i", "o", "u", "ai", "ea", "ou", "y"};
    private static final String[] CODAS = {"", "", "n", "r", "s", "t", "l", "m", "ck", "nd", "st", "x"};

    private final List<String> vocabulary;
    private final double[] cumulative;

    /** The common words followed by made-up ones up to {@code size} words, weighted 1/rank. */
    SearchCorpus(int size) {
        vocabulary = new ArrayList<>(COMMON);
        Random made = new Random(42);
        java.util.Set<String> seen = new java.util.HashSet<>(COMMON);
        while (vocabulary.size() < size) {
            StringBuilder w = new StringBuilder();
            int syllables = 2 + made.nextInt(2);
            for (int s = 0; s < syllables; s++) {
                w.append(ONSETS[made.nextInt(ONSETS.length)]).append(VOWELS[made.nextInt(VOWELS.length)]);
            }
            w.append(CODAS[made.nextInt(CODAS.length)]);
            if (seen.add(w.toString())) {
                vocabulary.add(w.toString());
            }
        }
        cumulative = new double[size];
        double sum = 0;
        for (int r = 0; r < size; r++) {
            sum += 1.0 / (r + 1);
            cumulative[r] = sum;
        }
        for (int r = 0; r < size; r++) {
            cumulative[r] /= sum;
        }
    }

    int size() {
        return vocabulary.size();
    }

    /** One word, Zipf-distributed over the vocabulary. */
    String word(Random random) {
        int at = java.util.Arrays.binarySearch(cumulative, random.nextDouble());
        return vocabulary.get(at < 0 ? Math.min(-at - 1, vocabulary.size() - 1) : at);
    }

    /** A post's text: {@code min}–{@code max} words, a capital and a full stop now and then. */
    String text(Random random, int min, int max) {
        int words = min + random.nextInt(max - min + 1);
        StringBuilder text = new StringBuilder(words * 7);
        boolean capital = true;
        for (int i = 0; i < words; i++) {
            String w = word(random);
            if (i > 0) {
                text.append(' ');
            }
            text.append(capital ? Character.toUpperCase(w.charAt(0)) + w.substring(1) : w);
            capital = random.nextInt(9) == 0 && i < words - 1;
            if (capital) {
                text.append('.');
            }
        }
        return text.append('.').toString();
    }

    /**
     * A word someone searches for: one of the common words past the 60 most frequent (content words that match from
     * a few tenths of a percent to a few percent of the posts), uniformly.
     */
    static String queryWord(Random random) {
        return COMMON.get(60 + random.nextInt(COMMON.size() - 60));
    }

    /** Two words that stand together in a post-like text: a phrase a user might remember. */
    String phrase(Random random) {
        String[] words = text(random, 20, 20).toLowerCase(java.util.Locale.ROOT).replace(".", "").split(" ");
        for (int attempt = 0; attempt < 20; attempt++) {
            int at = random.nextInt(words.length - 1);
            if (COMMON.contains(words[at]) && COMMON.contains(words[at + 1])) {
                return words[at] + " " + words[at + 1];
            }
        }
        return words[0] + " " + words[1];
    }

    static String title(Random random) {
        return cap(pick(random, ADJECTIVES)) + " " + cap(pick(random, TOPICS)) + " " + cap(pick(random, NOUNS));
    }

    String description(Random random) {
        StringBuilder d = new StringBuilder("All about ").append(pick(random, TOPICS)).append(" and ").append(pick(random, TOPICS))
                .append(": ");
        return d.append(text(random, 6, 18)).toString();
    }

    /** A word someone looks for in the directory. */
    static String directoryWord(Random random) {
        int which = random.nextInt(10);
        return which < 7 ? pick(random, TOPICS) : which < 9 ? pick(random, ADJECTIVES) : pick(random, NOUNS);
    }

    static <T> T pick(Random random, List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    private static String cap(String w) {
        return Character.toUpperCase(w.charAt(0)) + w.substring(1);
    }
}
