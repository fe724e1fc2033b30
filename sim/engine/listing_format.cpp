// Directory listing and time formats (listing_format.hpp).
#include "sim/engine/listing_format.hpp"

#include <ctime>

#include "ftp/command.hpp"

namespace ftpsim::sim {
namespace {

constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::tm utc(std::int64_t t) {
    std::tm tm{};
    const auto tt = static_cast<std::time_t>(t);
    ::gmtime_r(&tt, &tm);
    return tm;
}

std::string pad_left(const std::string& s, std::size_t width) {
    return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}
std::string pad_right(const std::string& s, std::size_t width) {
    return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}
std::string two(int v) { return v < 10 ? "0" + std::to_string(v) : std::to_string(v); }

struct FactName {
    MlstFact fact;
    const char* name;
};
constexpr FactName kFacts[] = {{MlstFact::kType, "type"},
                               {MlstFact::kSize, "size"},
                               {MlstFact::kModify, "modify"},
                               {MlstFact::kPerm, "perm"}};

bool has(unsigned set, MlstFact f) { return (set & static_cast<unsigned>(f)) != 0; }

}  // namespace

std::string format_ls_date(std::int64_t mtime) {
    const std::tm tm = utc(mtime);
    // strftime "%b %d  %Y" in the C locale, as vsftpd's ls.c writes older files.
    return std::string(kMonths[tm.tm_mon % 12]) + " " + two(tm.tm_mday) + "  " +
           std::to_string(tm.tm_year + 1900);
}

std::string format_time_val(std::int64_t mtime) {
    const std::tm tm = utc(mtime);
    return std::to_string(tm.tm_year + 1900) + two(tm.tm_mon + 1) + two(tm.tm_mday) +
           two(tm.tm_hour) + two(tm.tm_min) + two(tm.tm_sec);
}

std::string format_list_line(const FileInfo& info, Personality personality) {
    const std::string mode = info.directory ? "drwxr-xr-x" : "-rw-r--r--";
    const std::string size = std::to_string(info.size);
    const std::string date = format_ls_date(info.mtime);
    if (personality == Personality::kFileZilla) {
        // FileZilla Server 0.9 fakes a Unix listing: link count 1, owner and group "ftp",
        // directories with size 0.
        const std::string fz_size = info.directory ? "0" : size;
        return mode + " 1 ftp ftp " + pad_left(fz_size, 14) + " " + date + " " + info.name;
    }
    // vsftpd's ls.c: mode, link count in 4 columns, owner and group left-aligned in 8 (numeric
    // ids unless text_userdb_names=YES), size right-aligned in 8.
    const std::string owner = personality == Personality::kVsftpd ? "0" : "ftp";
    const std::string links = info.directory ? "2" : "1";
    return mode + " " + pad_left(links, 4) + " " + pad_right(owner, 8) + " " +
           pad_right(owner, 8) + " " + pad_left(size, 8) + " " + date + " " + info.name;
}

std::string format_mlsx_line(const FileInfo& info, const std::string& name, unsigned facts) {
    std::string out;
    if (has(facts, MlstFact::kType)) out += info.directory ? "type=dir;" : "type=file;";
    // §7.5.7: size is the file's size in octets; for directories it is "system dependent" and
    // most servers leave it out.
    if (has(facts, MlstFact::kSize) && !info.directory) out += "size=" + std::to_string(info.size) + ";";
    if (has(facts, MlstFact::kModify)) out += "modify=" + format_time_val(info.mtime) + ";";
    // §7.5.5: a(ppend) d(elete) f(rename) r(etrieve) w(rite) for files; c(reate) e(nter)
    // l(ist) m(kdir) p(urge) for directories.
    if (has(facts, MlstFact::kPerm)) out += info.directory ? "perm=cdeflmp;" : "perm=adfrw;";
    return out + " " + name;
}

std::string format_fact_list(unsigned supported, unsigned selected, bool with_stars) {
    std::string out;
    for (const FactName& f : kFacts) {
        if (!has(supported, f.fact)) continue;
        const bool on = has(selected, f.fact);
        if (!with_stars && !on) continue;
        out += f.name;
        if (with_stars && on) out += "*";
        out += ";";
    }
    return out;
}

unsigned parse_fact_list(const std::string& arg, unsigned supported) {
    unsigned out = 0;
    std::size_t i = 0;
    while (i < arg.size()) {
        std::size_t semi = arg.find(';', i);
        if (semi == std::string::npos) semi = arg.size();
        const std::string name = ftp::to_upper_ascii(arg.substr(i, semi - i));
        for (const FactName& f : kFacts) {
            if (ftp::to_upper_ascii(f.name) == name && has(supported, f.fact)) {
                out |= static_cast<unsigned>(f.fact);
            }
        }
        i = semi + 1;
    }
    return out;
}

std::string join_crlf(const std::vector<std::string>& lines) {
    std::string out;
    for (const std::string& line : lines) {
        out += line;
        out += "\r\n";
    }
    return out;
}

}  // namespace ftpsim::sim
