# Ported from node-quickfix 2.1.1's binding.gyp: C++17 against build/quickfix-include (a copy of Debian's
# /usr/include/quickfix with the dynamic exception specifications removed and an empty config.h, made by
# scripts/sanitize-headers.mjs after `node-gyp configure`, see scripts/install.mjs).
{
  'targets': [
    {
      'target_name': 'NodeQuickfix',
      'sources': [
        'native/src/FixApplication.cpp',
        'native/src/FixConnection.cpp',
        'native/src/FixInitiator.cpp',
        'native/src/FixAcceptor.cpp',
        'native/src/FixSession.cpp',
        'native/src/FixLoginProvider.cpp',
        'native/src/FixLoginResponse.cpp',
        'native/src/node_quickfix.cpp'
      ],
      'include_dirs': [
        "<(module_root_dir)/build/quickfix-include",
        "<!(node -e \"require('nan')\")",
        'native/src'
      ],
      'link_settings': {
        'libraries': [ '-lquickfix', '-lpthread', '-lxml2', '-lz' ]
      },
      'cflags': [ '-fexceptions', '-Wno-deprecated-declarations' ],
      'cflags!': [ '-fno-exceptions', '-fno-rtti' ],
      'cflags_cc': [ '-std=c++17', '-fexceptions', '-frtti', '-Wno-deprecated-declarations', '-Wno-cast-function-type', '-Wno-missing-field-initializers' ],
      'cflags_cc!': [ '-fno-exceptions', '-fno-rtti', '-std=gnu++17', '-std=gnu++14' ]
    }
  ]
}
