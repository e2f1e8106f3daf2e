package dev.neper.fleet.operator.report;

import dev.neper.fleet.operator.testing.ProgramRuns;
import dev.neper.fleet.runner.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report as a person sees it: headless Chromium (Debian's chromium) renders the page to a PNG, and the
 * heatmap's cells are found in its pixels: a solid rectangle of a cell's size per device, in the faulty colour
 * exactly where the run named a device faulty.
 */
class FleetReportChromiumTest {
    private final Path dir = Files.createTempDirectory("neper-report-chromium-");

    FleetReportChromiumTest() throws Exception {
    }

    @AfterEach
    void cleanUp() throws Exception {
        TestFiles.deleteTree(dir);
    }

    /** Renders a page to a PNG, 1280 CSS pixels wide, one device pixel per CSS pixel. */
    static BufferedImage screenshot(Path page, Path dir) throws Exception {
        Path png = dir.resolve("page.png");
        ProgramRuns.Result shot = ProgramRuns.run(Duration.ofSeconds(120), "chromium", "--headless", "--no-sandbox",
                "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--force-device-scale-factor=1",
                "--user-data-dir=" + dir.resolve("profile"), "--window-size=1280,1600", "--screenshot=" + png,
                page.toUri().toString());
        assertEquals(0, shot.exitCode(), shot.output());
        assertTrue(Files.size(png) > 0, "no screenshot: " + shot.output());
        return ImageIO.read(png.toFile());
    }

    /** The bounding boxes (x, y, width, height) of the solid regions of {@code colour} (#rrggbb) in the image. */
    static List<int[]> regions(BufferedImage image, String colour) {
        int rgb = Integer.parseInt(colour.substring(1), 16);
        int width = image.getWidth();
        int height = image.getHeight();
        boolean[] seen = new boolean[width * height];
        List<int[]> boxes = new ArrayList<>();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (seen[y * width + x] || !near(image.getRGB(x, y), rgb)) {
                    continue;
                }
                int minX = x, maxX = x, minY = y, maxY = y;
                ArrayDeque<int[]> queue = new ArrayDeque<>();
                queue.add(new int[]{x, y});
                seen[y * width + x] = true;
                while (!queue.isEmpty()) {
                    int[] p = queue.poll();
                    minX = Math.min(minX, p[0]);
                    maxX = Math.max(maxX, p[0]);
                    minY = Math.min(minY, p[1]);
                    maxY = Math.max(maxY, p[1]);
                    for (int[] d : new int[][]{{1, 0}, {-1, 0}, {0, 1}, {0, -1}}) {
                        int nx = p[0] + d[0];
                        int ny = p[1] + d[1];
                        if (nx >= 0 && ny >= 0 && nx < width && ny < height && !seen[ny * width + nx]
                                && near(image.getRGB(nx, ny), rgb)) {
                            seen[ny * width + nx] = true;
                            queue.add(new int[]{nx, ny});
                        }
                    }
                }
                boxes.add(new int[]{minX, minY, maxX - minX + 1, maxY - minY + 1});
            }
        }
        return boxes;
    }

    private static boolean near(int argb, int rgb) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs(((argb >> shift) & 0xff) - ((rgb >> shift) & 0xff)) > 3) {
                return false;
            }
        }
        return true;
    }

    /** The regions of a heatmap cell's size (its text inside does not split it). */
    static List<int[]> cells(BufferedImage image, String colour) {
        return regions(image, colour).stream().filter(b -> Math.abs(b[2] - FleetReportPage.CELL_WIDTH) <= 2
                && Math.abs(b[3] - FleetReportPage.CELL_HEIGHT) <= 2).toList();
    }

    @Test
    void theHeatmapShowsThreeFaultyCellsAndSevenAtSpeed() throws Exception {
        Path page = Files.writeString(dir.resolve("report.html"),
                FleetReportPage.render(FleetReportPageTest.fixture(), Instant.EPOCH));
        BufferedImage image = screenshot(page, dir);
        List<int[]> faulty = cells(image, FleetReportPage.FAULTY);
        assertEquals(3, faulty.size(), "node-3's eth1 and eth2, node-4's eth2");
        assertEquals(7, cells(image, FleetReportPage.AT_SPEED).size(), "the healthy devices with a number");
        // node-3's two cells side by side in one row, node-4's eth2 in the next row under node-3's eth2
        List<int[]> sorted = faulty.stream().sorted(java.util.Comparator.comparingInt((int[] b) -> b[1])
                .thenComparingInt(b -> b[0])).toList();
        assertEquals(sorted.get(0)[1], sorted.get(1)[1], "one row");
        assertTrue(sorted.get(1)[0] > sorted.get(0)[0]);
        assertTrue(sorted.get(2)[1] > sorted.get(1)[1], "the next row");
        assertTrue(Math.abs(sorted.get(2)[0] - sorted.get(1)[0]) <= 1, "the same column (eth2)");
    }
}
