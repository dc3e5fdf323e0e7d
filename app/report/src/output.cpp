#include "mentorlog/report/output.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>

namespace mentorlog::report {

namespace {

std::string Quoted(const std::filesystem::path& p) { return "«" + p.string() + "»"; }

std::filesystem::path FolderOf(const std::filesystem::path& path) {
  std::filesystem::path parent = path.parent_path();
  return parent.empty() ? std::filesystem::path(".") : parent;
}

Status DiskError(const std::filesystem::path& path, int err) {
  const std::string why = std::strerror(err);
  if (err == ENOSPC || err == EDQUOT) {
    return Status::IoError(
        LocalText{"не удалось записать " + Quoted(path) + ": диск заполнен; освободите место и повторите",
                  "cannot write " + Quoted(path) + ": the disk is full; free some space and try again"});
  }
  if (err == EACCES || err == EPERM || err == EROFS) {
    return Status::InvalidInput(
        LocalText{"не удалось записать " + Quoted(path) + " (" + why +
                      "); укажите в --out папку, в которую у вас есть право записи",
                  "cannot write " + Quoted(path) + " (" + why + "); choose a folder you can write to with --out"});
  }
  return Status::IoError(
      LocalText{"не удалось записать " + Quoted(path) + ": " + why, "cannot write " + Quoted(path) + ": " + why});
}

// Creates the temporary file `temp` for writing, never following a symbolic link and never
// writing into a file it did not create (O_CREAT | O_EXCL | O_NOFOLLOW). Whatever is already
// at that name (the temporary file of a killed run, or a link someone planted to make us
// overwrite another file) is unlinked first: unlink removes a link, not what it points to.
// Returns the descriptor, or -1 with errno set.
int CreateTemporary(const std::filesystem::path& temp) {
  constexpr int kFlags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
  int fd = ::open(temp.c_str(), kFlags, 0644);
  if (fd < 0 && errno == EEXIST && ::unlink(temp.c_str()) == 0) fd = ::open(temp.c_str(), kFlags, 0644);
  return fd;
}

// Writes all of `bytes` to `fd` and flushes them to the disk; errno on failure.
bool WriteAndSync(int fd, std::string_view bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return ::fsync(fd) == 0;
}

// A new folder only this user can enter, in the system's temporary folder, for a library that
// writes a file by name (libxlsxwriter): nobody else can plant a link in it. Removed by the
// destructor with what is in it.
class PrivateFolder {
 public:
  PrivateFolder() {
    std::error_code ec;
    std::string pattern = (std::filesystem::temp_directory_path(ec) / "mentorlog-report-XXXXXX").string();
    if (ec) pattern = "/tmp/mentorlog-report-XXXXXX";
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~PrivateFolder() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  PrivateFolder(const PrivateFolder&) = delete;
  PrivateFolder& operator=(const PrivateFolder&) = delete;

  const std::filesystem::path& path() const { return path_; }  // empty when mkdtemp failed

 private:
  std::filesystem::path path_;
};

// Makes the rename itself durable (best effort: some file systems refuse fsync on a folder).
void SyncFolder(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

}  // namespace

std::filesystem::path TempPathFor(const std::filesystem::path& path) {
  std::filesystem::path temp = path;
  temp += ".tmp";
  return temp;
}

Status CheckOutputPath(const std::filesystem::path& path) {
  if (path.empty()) {
    return Status::InvalidInput(
        LocalText{"не указан файл: задайте его в --out", "no output file: give one with --out"});
  }
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Status::InvalidInput(LocalText{Quoted(path) + " — это папка; укажите в --out имя файла в ней",
                                          Quoted(path) + " is a folder; give --out a file name in it"});
  }
  const std::filesystem::path dir = FolderOf(path);
  if (!std::filesystem::exists(dir, ec)) {
    return Status::InvalidInput(
        LocalText{"папки " + Quoted(dir) + " нет; создайте её или укажите другой путь в --out",
                  "the folder " + Quoted(dir) + " does not exist; create it or choose another --out"});
  }
  if (!std::filesystem::is_directory(dir, ec)) {
    return Status::InvalidInput(LocalText{Quoted(dir) + " — не папка; укажите другой путь в --out",
                                          Quoted(dir) + " is not a folder; choose another --out"});
  }
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    return Status::InvalidInput(LocalText{
        "в папку " + Quoted(dir) + " нельзя записывать; укажите в --out папку, в которую у вас есть право записи",
        "the folder " + Quoted(dir) + " is not writable; choose a folder you can write to with --out"});
  }
  return Status::Ok();
}

Status WriteFileAtomically(const std::filesystem::path& path, std::string_view bytes) {
  RETURN_IF_ERROR(CheckOutputPath(path));
  const std::filesystem::path temp = TempPathFor(path);
  const int fd = CreateTemporary(temp);
  if (fd < 0) return DiskError(temp, errno);
  Status s;
  if (!WriteAndSync(fd, bytes)) s = DiskError(path, errno);
  if (::close(fd) != 0 && s.ok()) s = DiskError(path, errno);
  if (s.ok() && std::rename(temp.c_str(), path.c_str()) != 0) s = DiskError(path, errno);
  if (!s.ok()) {
    ::unlink(temp.c_str());
    return s;
  }
  SyncFolder(FolderOf(path));
  return Status::Ok();
}

Status ReplaceAtomically(const std::filesystem::path& path,
                         const std::function<Status(const std::filesystem::path& temp_path)>& write) {
  RETURN_IF_ERROR(CheckOutputPath(path));
  const PrivateFolder folder;
  if (folder.path().empty()) {
    const int err = errno;
    std::error_code ec;
    return DiskError(std::filesystem::temp_directory_path(ec), err);
  }
  const std::filesystem::path written = folder.path() / path.filename();
  RETURN_IF_ERROR(write(written));
  std::ifstream in(written, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.is_open() || in.bad()) return DiskError(written, EIO);
  return WriteFileAtomically(path, bytes);
}

Status PrepareOutputDir(const std::filesystem::path& dir) {
  if (dir.empty()) {
    return Status::InvalidInput(
        LocalText{"не указана папка: задайте её в --out", "no output folder: give one with --out"});
  }
  std::error_code ec;
  if (std::filesystem::exists(dir, ec) && !std::filesystem::is_directory(dir, ec)) {
    return Status::InvalidInput(LocalText{Quoted(dir) + " — это файл; для CSV укажите в --out папку",
                                          Quoted(dir) + " is a file; CSV reports need a folder for --out"});
  }
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return Status::InvalidInput(
        LocalText{"не удалось создать папку " + Quoted(dir) + " (" + ec.message() + "); укажите другой путь в --out",
                  "cannot create the folder " + Quoted(dir) + " (" + ec.message() + "); choose another --out"});
  }
  return Status::Ok();
}

Status WriteCsvFolder(const std::vector<Table>& tables, const std::filesystem::path& dir, Language language) {
  RETURN_IF_ERROR(PrepareOutputDir(dir));
  for (const auto& table : tables) {
    ASSIGN_OR_RETURN(std::string csv, TableToCsv(table, language));
    RETURN_IF_ERROR(WriteFileAtomically(dir / (table.name + ".csv"), csv));
  }
  return Status::Ok();
}

}  // namespace mentorlog::report
