// The `extends` chain: files read base first, merged key by key, each kept verbatim for the results record.
#include <gtest/gtest.h>

#include "scenario/extends.hpp"
#include "temp_dir.hpp"

using namespace dasim;

namespace {

class Chain : public test_support::TempDirTest {
 protected:
  std::string error_of(const std::filesystem::path& file) {
    try {
      scenario::read_chain(file);
    } catch (const scenario::LoadError& e) {
      return e.what();
    }
    return "(no error)";
  }
};

}  // namespace

TEST_F(Chain, ListsTheFilesBaseFirstWithTheirText) {
  write("grand.toml", "[pools.a]\nworkers = 1\n");
  write("base.toml", "extends = \"grand.toml\"\n[pools.a]\nduration = 3\n");
  const auto child = write("child.toml", "extends = \"base.toml\"\n[pools.a]\nworkers = 4\n");
  const scenario::SourceChain chain = scenario::read_chain(child);
  ASSERT_EQ(chain.files.size(), 3u);
  EXPECT_EQ(std::filesystem::path(chain.files[0]).filename(), "grand.toml");
  EXPECT_EQ(std::filesystem::path(chain.files[2]).filename(), "child.toml");
  EXPECT_EQ(chain.contents[0], "[pools.a]\nworkers = 1\n");
  EXPECT_EQ(chain.root["pools"]["a"]["workers"].value<int>(), 4) << "the child overrides its bases";
  EXPECT_EQ(chain.root["pools"]["a"]["duration"].value<int>(), 3) << "keys the child does not set come from the base";
  EXPECT_FALSE(chain.root.contains("extends"));
  EXPECT_EQ(chain.record(), "# ===== grand.toml =====\n[pools.a]\nworkers = 1\n"
                            "# ===== base.toml =====\nextends = \"grand.toml\"\n[pools.a]\nduration = 3\n"
                            "# ===== child.toml =====\nextends = \"base.toml\"\n[pools.a]\nworkers = 4\n");
}

TEST_F(Chain, FalseRemovesABaseTableAndOtherValuesReplace) {
  write("base.toml", "[pools.a]\nworkers = 1\n[pools.b]\nworkers = 2\nnext = [1, 2]\n");
  const auto child = write("child.toml", "extends = \"base.toml\"\npools.a = false\n[pools.b]\nnext = [3]\n");
  const scenario::SourceChain chain = scenario::read_chain(child);
  EXPECT_FALSE(chain.root["pools"]["a"]);
  EXPECT_EQ(chain.root["pools"]["b"]["next"].as_array()->size(), 1u) << "arrays are replaced, not appended";
  EXPECT_EQ(chain.root["pools"]["b"]["workers"].value<int>(), 2);
}

TEST_F(Chain, TextInMemoryCanExtendAFileBesideIt) {
  write("base.toml", "[areas.north]\npopulation = 5\n");
  const std::string text = "extends = \"base.toml\"\n[areas.south]\npopulation = 7\n";
  const scenario::SourceChain chain = scenario::read_chain(dir_ / "memory.toml", &text);
  EXPECT_EQ(chain.root["areas"]["north"]["population"].value<int>(), 5);
  EXPECT_EQ(chain.contents.back(), text);
}

TEST_F(Chain, CyclesMissingBasesAndBadNamesAreNamed) {
  write("a.toml", "extends = \"b.toml\"\n");
  write("b.toml", "extends = \"a.toml\"\n");
  EXPECT_NE(error_of(dir_ / "a.toml").find("round in a circle"), std::string::npos);
  write("c.toml", "extends = \"missing.toml\"\n");
  EXPECT_NE(error_of(dir_ / "c.toml").find("c.toml:1:11: extends: no such file"), std::string::npos) << error_of(dir_ / "c.toml");
  write("d.toml", "extends = 3\n");
  EXPECT_NE(error_of(dir_ / "d.toml").find("extends: must be a file name"), std::string::npos);
  write("e.toml", "[pools\n");
  EXPECT_NE(error_of(dir_ / "e.toml").find("e.toml:1:"), std::string::npos) << "a syntax error names file and line";
}
