// Oracle for Maven ranges: reads "RANGE<TAB>VERSION" lines on stdin and
// prints 1 or 0 (VersionRange.containsVersion) or E (the range is invalid).
import java.io.BufferedReader;
import java.io.InputStreamReader;
import org.apache.maven.artifact.versioning.DefaultArtifactVersion;
import org.apache.maven.artifact.versioning.VersionRange;

public class MavenRange {
	public static void main(String[] args) throws Exception {
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
		StringBuilder out = new StringBuilder();
		String line;
		while ((line = in.readLine()) != null) {
			String[] f = line.split("\t", 2);
			try {
				VersionRange r = VersionRange.createFromVersionSpec(f[0]);
				boolean c = r.containsVersion(new DefaultArtifactVersion(f[1]));
				out.append(c ? "1\n" : "0\n");
			} catch (Exception e) {
				out.append("E\n");
			}
		}
		System.out.print(out);
	}
}
