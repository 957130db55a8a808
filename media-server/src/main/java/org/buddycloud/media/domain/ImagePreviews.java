package org.buddycloud.media.domain;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import net.coobird.thumbnailator.Thumbnails;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/**
 * Image facts and previews with the JDK's ImageIO (plus TwelveMonkeys for WebP) and Thumbnailator:
 * dimensions come from the header alone, and an image claiming more pixels than allowed is refused
 * before a single pixel is decoded (decompression bombs). Large sources are subsampled while
 * decoding so memory stays near the preview's size, then scaled to fit the box, never up.
 */
public final class ImagePreviews {

    /** The types a preview can be made of. */
    public static final Set<String> TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/bmp", "image/webp");

    /** Width and height as the image's header states them. */
    public record Size(int width, int height) {
    }

    /** A preview's bytes and type. */
    public record Preview(byte[] bytes, String contentType, int width, int height) {
    }

    static {
        // plug-ins (WebP) are found through the class loader the application runs in; no disk cache for streams
        ImageIO.scanForPlugins();
        ImageIO.setUseCache(false);
    }

    private final long maxPixels;

    public ImagePreviews(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    public static boolean previewable(String contentType) {
        return TYPES.contains(contentType);
    }

    /** The header's dimensions, or empty when the bytes are not an image ImageIO reads. */
    public Optional<Size> size(InputStream content) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(content)) {
            ImageReader reader = reader(in);
            if (reader == null) {
                return Optional.empty();
            }
            try {
                reader.setInput(in, true, true);
                return Optional.of(new Size(reader.getWidth(0), reader.getHeight(0)));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /**
     * A version of the image that fits {@code maxWidth} × {@code maxHeight}, proportionally; empty when the image
     * already fits (the original is the answer). Refuses images whose header claims more than the pixel limit.
     */
    public Optional<Preview> preview(InputStream content, String contentType, int maxWidth, int maxHeight) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(content)) {
            ImageReader reader = reader(in);
            if (reader == null) {
                throw new DomainException(Condition.PRECONDITION_FAILED, "this file is not an image a preview can be made of");
            }
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if ((long) width * height > maxPixels) {
                    throw new DomainException(Condition.NOT_ACCEPTABLE, "the image claims " + width + "x" + height
                            + " pixels, more than the " + maxPixels + " a preview is made of");
                }
                if (width <= maxWidth && height <= maxHeight) {
                    return Optional.empty();
                }
                double scale = Math.min((double) maxWidth / width, (double) maxHeight / height);
                int targetWidth = Math.max(1, (int) Math.round(width * scale));
                int targetHeight = Math.max(1, (int) Math.round(height * scale));
                ImageReadParam param = reader.getDefaultReadParam();
                // decode every n-th pixel only, keeping at least twice the target for a clean downscale
                int step = (int) Math.max(1, Math.min(width / (2L * targetWidth), height / (2L * targetHeight)));
                param.setSourceSubsampling(step, step, 0, 0);
                BufferedImage decoded = reader.read(0, param);
                String format = contentType.equals("image/jpeg") ? "jpg" : "png";
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                Thumbnails.of(decoded).size(targetWidth, targetHeight).outputFormat(format).toOutputStream(out);
                return Optional.of(new Preview(out.toByteArray(), format.equals("jpg") ? "image/jpeg" : "image/png", targetWidth,
                        targetHeight));
            } finally {
                reader.dispose();
            }
        }
    }

    private static ImageReader reader(ImageInputStream in) {
        if (in == null) {
            return null;
        }
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        return readers.hasNext() ? readers.next() : null;
    }
}
