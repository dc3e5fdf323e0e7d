// The store's numbered migrations. Migration N takes a store from schema N-1 to N.
// Never edit a released migration: add the next one.
#pragma once

#include <span>
#include <string_view>

namespace mentorlog::core {

// Index i holds the SQL of migration i+1.
std::span<const std::string_view> Migrations();

}  // namespace mentorlog::core
