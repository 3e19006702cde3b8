// std::visit over the operation IR with one lambda per alternative. Internal.
#pragma once

namespace migtest::detail {

template <class... Ts>
struct overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

}  // namespace migtest::detail
